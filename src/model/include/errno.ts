/** Kernel error numbers the model returns (negated, as the kernel does). @kernel include/uapi/asm-generic/errno-base.h */
export const EPERM = 1;
export const EIO = 5;
export const EACCES = 13;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const EINVAL = 22;
export const EAGAIN = 11;
export const ENOSPC = 28;
export const EMLINK = 31;
export const EXDEV = 18;
export const ENOTTY = 25;

/** Past errno-base.h's 1..34. @kernel include/uapi/asm-generic/errno.h */
export const ENOSYS = 38;
export const EBADE = 52;
export const EOPNOTSUPP = 95;

/** Kernel-internal, never seen by user space: aio's "queued, completion will follow". @kernel include/linux/errno.h */
export const EIOCBQUEUED = 529;

/** A kernel-style return: a count or result >= 0, or a negative errno. */
export type KernelResult = number;

export const errnoName: Readonly<Record<number, string>> = {
  [EPERM]: 'EPERM',
  [EIO]: 'EIO',
  [EACCES]: 'EACCES',
  [ENOMEM]: 'ENOMEM',
  [EFAULT]: 'EFAULT',
  [EBUSY]: 'EBUSY',
  [EEXIST]: 'EEXIST',
  [EINVAL]: 'EINVAL',
  [EAGAIN]: 'EAGAIN',
  [ENOSPC]: 'ENOSPC',
  [EMLINK]: 'EMLINK',
  [ENOSYS]: 'ENOSYS',
  [EOPNOTSUPP]: 'EOPNOTSUPP',
  [EXDEV]: 'EXDEV',
  [ENOTTY]: 'ENOTTY',
  [EIOCBQUEUED]: 'EIOCBQUEUED',
  [EBADE]: 'EBADE',
};
