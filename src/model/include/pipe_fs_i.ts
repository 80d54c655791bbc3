/** struct pipe_inode_info and struct pipe_buffer, as plain data. @kernel include/linux/pipe_fs_i.h */

import type { BvecGrab } from './blk_types.js';

/** One pipe buffer: a page and how the pipe holds it (vmsplice: a reference; the pin what-if: a pin). */
export interface PipeBuf {
  readonly folio: number;
  readonly grab: BvecGrab;
}

export interface Pipe {
  readonly id: number;
  readonly name: string;
  bufs: PipeBuf[];
}
