/**
 * Which media the panel will display: raster images and audio from data: URIs only.
 * SVG is refused (it can carry script); nothing is ever loaded from the network. DOM-free for tests.
 */

const RASTER_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const AUDIO_TYPES = new Set([
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/mpeg',
  'audio/mp3',
  'audio/ogg',
  'audio/webm',
  'audio/flac',
  'audio/aac',
  'audio/mp4',
  'audio/x-m4a',
]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Upper bound on a displayed payload (base64 characters). */
export const MAX_MEDIA_BASE64 = 32 * 1024 * 1024;

function dataUri(allowed: ReadonlySet<string>, mimeType: string, data: string): string | undefined {
  const type = mimeType.trim().toLowerCase();
  if (!allowed.has(type)) return undefined;
  if (data.length === 0 || data.length > MAX_MEDIA_BASE64 || data.length % 4 !== 0 || !BASE64.test(data)) return undefined;
  return `data:${type};base64,${data}`;
}

/** A data: URI for an MCP image block, or undefined when it is not a raster image in valid base64. */
export function safeImageSrc(mimeType: string, data: string): string | undefined {
  return dataUri(RASTER_IMAGE_TYPES, mimeType, data);
}

/** A data: URI for an MCP audio block, or undefined when the type or payload is not acceptable. */
export function safeAudioSrc(mimeType: string, data: string): string | undefined {
  return dataUri(AUDIO_TYPES, mimeType, data);
}

/** Accepts a complete `data:image/...;base64,...` URI (e.g. from markdown) only when it is a raster image. */
export function safeImageDataUri(uri: string): string | undefined {
  const match = /^data:([a-z]+\/[a-z0-9.+-]+);base64,(.*)$/is.exec(uri.trim());
  if (!match) return undefined;
  return safeImageSrc(match[1] ?? '', match[2] ?? '');
}
