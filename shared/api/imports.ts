/** POST /imports/{kind}: what became of one chunk of an NDJSON file. */

/** A line refused: its line number in the file, and why. */
export interface RejectedLine {
  line: number;
  message: string;
}

export interface ImportResult {
  accepted: number;
  rejected: RejectedLine[];
}
