// Building and finding images on the engine. Takes the engine typed by the few calls it makes, so dockerode stays
// imported by docker-driver.ts alone. Nothing is ever pulled: there may be no registry at all.
import { createHash } from 'node:crypto';
import { InfraError } from '../errors.js';
import { call, dockerStatus } from './docker-calls.js';
import { defaultImageFiles, defaultImageTag, IMAGE_REPO, imageContext, type ImageFile } from './image.js';
import { buildContextEntries } from './build-context.js';
import { tarStream, type TarEntry } from './tar.js';

interface BuildMessage {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

export interface ImageEngine {
  buildImage(context: NodeJS.ReadableStream, opts: { t: string; labels: Record<string, string> }): Promise<NodeJS.ReadableStream>;
  getImage(name: string): { inspect(): Promise<{ Id: string }>; tag(opts: { repo: string; tag: string }): Promise<unknown> };
  modem: { followProgress(stream: NodeJS.ReadableStream, done: (err: Error | null, out: BuildMessage[]) => void): void };
}

/** The image's id, or undefined when the engine does not have it. */
export async function imageId(engine: ImageEngine, tag: string): Promise<string | undefined> {
  try {
    return (await call('image inspect', 10_000, () => engine.getImage(tag).inspect(), { retry: true })).Id;
  } catch (err) {
    if (dockerStatus(err) === 404) return undefined;
    throw err;
  }
}

export async function buildImage(engine: ImageEngine, entries: TarEntry[], tag: string): Promise<void> {
  const stream = await call('image build', 30_000, () => engine.buildImage(tarStream(entries), { t: tag, labels: { 'agentrt.image': 'true' } }));
  const output = await call('image build', 600_000, () => new Promise<BuildMessage[]>((resolve, reject) => engine.modem.followProgress(stream, (err, out) => (err ? reject(err) : resolve(out)))));
  const failed = output.find((o) => o.error || o.errorDetail);
  if (failed) {
    const log = output.flatMap((o) => (o.stream ? o.stream.split('\n') : [])).filter(Boolean).slice(-8);
    throw new InfraError(`image build of ${tag} failed: ${failed.error ?? failed.errorDetail?.message}`, { code: 'E_IMAGE_BUILD', details: log });
  }
}

/** The default offline image: built when missing (or when forced), reused when its content hash is unchanged. */
export async function ensureDefaultImage(engine: ImageEngine, opts: { force?: boolean; files?: ImageFile[] } = {}): Promise<{ tag: string; built: boolean }> {
  const entries = imageContext(opts.files ?? (await defaultImageFiles()));
  const tag = defaultImageTag(entries);
  const built = Boolean(opts.force) || !(await imageId(engine, tag));
  if (built) await buildImage(engine, entries, tag);
  // `latest` lets bring-your-own agents build FROM the sandbox image, offline.
  if (!opts.files) await call('image tag', 10_000, () => engine.getImage(tag).tag({ repo: IMAGE_REPO, tag: 'latest' }));
  return { tag, built };
}

/**
 * A user's Dockerfile directory, built FROM the sandbox image. Tagged by the hash of the context and of the base
 * image, so an unchanged agent is not rebuilt and a new sandbox image rebuilds it.
 */
export async function ensureContextImage(engine: ImageEngine, dir: string, baseId: string): Promise<string> {
  const entries = await buildContextEntries(dir);
  const h = createHash('sha256').update(baseId);
  for (const e of entries) h.update(`${e.name}\0${e.mode}\0`).update(e.content ?? 'dir');
  const tag = `agentrt-user:${h.digest('hex').slice(0, 16)}`;
  if (!(await imageId(engine, tag))) await buildImage(engine, entries, tag);
  return tag;
}

export function missingImageError(image: string): InfraError {
  return new InfraError(`image "${image}" is not present on the Docker engine, and agentrt never pulls from a registry`, {
    code: 'E_IMAGE_MISSING',
    details: [
      'build or load it on this engine first (`docker build -t ' + image + ' <dir>` or `docker load -i <file>`),',
      'or give `agent.build: <directory with a Dockerfile>` in the plan (it may start FROM agentrt-sandbox:latest, built by `agentrt image build`)',
    ],
  });
}
