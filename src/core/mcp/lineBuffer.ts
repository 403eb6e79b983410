/** The last N lines of a stream (e.g. a server's stderr), with every line and the partial line bounded. */
export class LineRingBuffer {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = 200,
    private readonly maxLineLength = 4096,
    /** Applied to every line before it is kept or shown, e.g. to redact secrets. */
    private readonly transform: (line: string) => string = (line) => line,
  ) {}

  /** Adds a chunk of text; returns the complete lines it finished, for logging. */
  write(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxLineLength) {
      // A line with no end in sight: cut it so memory stays bounded.
      parts.push(this.partial);
      this.partial = '';
    }
    const finished = parts.map((line) => this.clip(line));
    for (const line of finished) this.push(line);
    return finished;
  }

  push(line: string): void {
    this.lines.push(this.clip(line));
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  /** Ends a pending partial line (e.g. when the stream closes); returns it if any. */
  flush(): string | undefined {
    if (!this.partial) return undefined;
    const line = this.clip(this.partial);
    this.partial = '';
    this.push(line);
    return line;
  }

  tail(count = this.maxLines): string[] {
    const pending = this.partial ? [this.clip(this.partial)] : [];
    return [...this.lines, ...pending].slice(-count);
  }

  clear(): void {
    this.lines.length = 0;
    this.partial = '';
  }

  private clip(raw: string): string {
    const line = this.transform(raw);
    return line.length > this.maxLineLength ? `${line.slice(0, this.maxLineLength)}… (${line.length - this.maxLineLength} more characters)` : line;
  }
}
