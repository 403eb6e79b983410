/**
 * What a server may not take from a workspace the user has not trusted (Restricted Mode): its folder
 * through `${workspaceFolder}`, or an envFile inside it. A server of the user's own settings would
 * otherwise read or run a cloned repository's files (an envFile can set NODE_OPTIONS, PATH…).
 * Workspace servers themselves never load while untrusted (serverSources).
 */
import * as path from 'node:path';

/** Whether `file` is one of `folders` or inside one (after resolving `.` and `..`). */
export function isInsideAnyFolder(file: string, folders: readonly string[]): boolean {
  const target = path.resolve(file);
  return folders.some((folder) => {
    const root = path.resolve(folder);
    return target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  });
}
