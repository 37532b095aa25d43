// Tar archives for the Docker API (build contexts, files copied into a container), built in memory with tar-stream.
import { pack as tarPack } from 'tar-stream';

export interface TarEntry {
  name: string;
  /** Absent for a directory. */
  content?: Buffer;
  mode: number;
  uid?: number;
}

export function tarStream(entries: TarEntry[]): NodeJS.ReadableStream {
  const pack = tarPack();
  for (const e of entries) {
    const header = { name: e.name, mode: e.mode, uid: e.uid ?? 0, gid: e.uid ?? 0 };
    if (e.content) pack.entry(header, e.content);
    else pack.entry({ ...header, type: 'directory' });
  }
  pack.finalize();
  return pack as unknown as NodeJS.ReadableStream; // tar-stream's Pack is a streamx Readable, which Docker's HTTP body accepts
}
