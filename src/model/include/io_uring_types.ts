/** io_uring registered buffers (struct io_mapped_ubuf), as plain data. @kernel io_uring/rsrc.h */

import type { BvecGrab } from './blk_types.js';

export interface UringBuf {
  /** The buffer index (sqe->buf_index). */
  readonly index: number;
  /** The registering actor's process mm. */
  readonly mm: number;
  readonly folios: readonly number[];
  /** pin_user_pages(FOLL_WRITE | FOLL_LONGTERM); references where FOLL_PIN does not exist yet. */
  readonly grab: BvecGrab;
  /** Names this registration (its rsrc node) for the requests that hold it. */
  readonly node: number;
  /** In-flight requests holding the buffer's rsrc node (req->rsrc_node / req->buf_node). */
  readonly users: number;
  /** Unregistered while requests held it: out of the table, its pages still held until the last one ends. */
  readonly unregistered: boolean;
}
