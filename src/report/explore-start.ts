/**
 * What `pinlab view --explore` puts in its page (`<script type="application/json" id="pinlab-explore">`):
 * the scenario file's text, which the page parses with the scenario parser itself, and where to start.
 */
export interface ExploreStart {
  /** The file's name as errors and ids use it. */
  readonly file: string;
  readonly source: string;
  /** The id of the scenario to open (one axis combination of the file). */
  readonly scenario: string;
  readonly kernel: string;
  /** A second release to compare with, or null. */
  readonly vs: string | null;
  /** A replay token to open (`scenario-id@kernel:steps`), or null: the start. */
  readonly token: string | null;
}
