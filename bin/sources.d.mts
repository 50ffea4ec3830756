/** The newest modification time (ms) of bligate's TypeScript sources under engine/. */
export function newestSource(root: string): number;
