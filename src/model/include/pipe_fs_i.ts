/** struct pipe_inode_info and struct pipe_buffer, as plain data. @kernel include/linux/pipe_fs_i.h */

import type { BvecGrab } from './blk_types.js';
import type { Own } from './own.js';

/** One pipe buffer: a page and how the pipe holds it (vmsplice: a reference; the pin what-if: a pin). */
export interface PipeBuf {
  readonly folio: number;
  readonly grab: BvecGrab;
}

export interface Pipe {
  readonly id: number;
  readonly name: string;
  readonly bufs: readonly PipeBuf[];
}

/** A step's own copy of a pipe (ownPipe). */
export type OwnPipe = Own<Pipe, 'bufs'>;
