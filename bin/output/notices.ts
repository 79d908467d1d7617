/**
 * Lines the CLI prints on stderr at a moment of its own choosing, such as the notice that Ctrl-C was
 * received. A progress display redraws over whatever was written below it since its last frame, so
 * while one is drawn these lines go above it, through it; otherwise straight to stderr.
 */
export class StderrNotices {
  private printer: ((line: string) => void) | undefined;

  constructor(private readonly stderr: NodeJS.WritableStream) {}

  print(line: string): void {
    if (this.printer) this.printer(line);
    else this.stderr.write(`${line}\n`);
  }

  /** While a display is drawn: the function that prints above it; undefined when it is gone. */
  route(printer: ((line: string) => void) | undefined): void {
    this.printer = printer;
  }
}
