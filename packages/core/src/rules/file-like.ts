/** The three things a rule can see of a file, in a browser or on a server. */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  readonly type: string;
}
