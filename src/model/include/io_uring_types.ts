/** io_uring registered buffers (struct io_mapped_ubuf), as plain data. @kernel io_uring/rsrc.h */

import type { BvecGrab } from './blk_types.js';

/**
 * A buffer a kernel driver registered (io_buffer_register_bvec(), IO_REGBUF_F_KBUF): the pages of a
 * ublk request, which io_uring does not grab (the request owns them) and hands back through the
 * driver's release callback (ublk_io_release()) when the buffer's node is freed.
 */
export interface KernelBuf {
  /** The driver actor and the handle that hold the request's pages. */
  readonly actor: number;
  readonly handle: string;
  /** The daemon completed the request (UBLK_IO_COMMIT_AND_FETCH_REQ): it ends when the buffer is released. */
  readonly committed: boolean;
  /**
   * The request's data direction (imu->dir = 1 << rq_data_dir(rq)): a READ request's pages take only
   * a READ_FIXED (the server fills them), a WRITE request's only a WRITE_FIXED; user buffers take both.
   */
  readonly dir: 'read' | 'write';
}

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
  /**
   * Unregistered while requests held it: out of the table (fixed requests fail with -EFAULT), its
   * pages still held until the last one ends; with the quiesce also while the unregister waits.
   */
  readonly unregistered: boolean;
  /** A kernel driver's buffer (v6.15), or null for user memory (IORING_REGISTER_BUFFERS). */
  readonly kbuf: KernelBuf | null;
}
