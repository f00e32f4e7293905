/** The bytes one in-memory store may hold in all, shared by every writer into it. */
export interface MemoryBudget {
  /** `false`, taking nothing, when the bytes would not fit. */
  take(bytes: number): boolean;
  give(bytes: number): void;
}

export function memoryBudget(maxBytes: number): MemoryBudget {
  let used = 0;
  return {
    take(bytes) {
      if (used + bytes > maxBytes) return false;
      used += bytes;
      return true;
    },
    give(bytes) {
      used -= bytes;
    },
  };
}
