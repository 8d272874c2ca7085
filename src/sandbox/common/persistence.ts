// Keeps a sandbox's state in a JSON file under .data/ across restarts: loaded at start, written after
// changes (debounced, atomically through a rename), flushed on close.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class JsonFilePersistence<T> {
  private timer: NodeJS.Timeout | undefined;
  private pending: T | undefined;

  constructor(
    readonly file: string,
    private readonly debounceMs = 200,
  ) {}

  load(): T | undefined {
    if (!existsSync(this.file)) return undefined;
    return JSON.parse(readFileSync(this.file, 'utf8')) as T;
  }

  /** Schedules a write of `state` (the latest call wins). */
  save(state: T): void {
    this.pending = state;
    this.timer ??= setTimeout(() => this.flush(), this.debounceMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(this.pending));
    renameSync(tmp, this.file);
    this.pending = undefined;
  }
}
