/**
 * Ending a server's whole process tree. A stdio server started through `npx` or a shell wrapper has
 * grandchildren that outlive the child we spawned unless we find and signal them too.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** Bounds the walk so a fork bomb (or a /proc oddity) cannot keep us busy. */
const MAX_PROCESSES = 512;

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 5000, windowsHide: true, maxBuffer: 4 * 1024 * 1024 }, (_error, stdout) => resolve(String(stdout ?? '')));
  });
}

async function linuxChildren(pid: number): Promise<number[] | undefined> {
  let tasks: string[];
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const task of tasks) {
    try {
      const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8');
      for (const part of text.split(/\s+/)) if (part) children.push(Number(part));
    } catch {
      // Kernels without CONFIG_PROC_CHILDREN: fall back to ps.
      return undefined;
    }
  }
  return children;
}

async function psParentMap(): Promise<Map<number, number[]>> {
  const out = await run('ps', ['-A', '-o', 'pid=,ppid=']);
  const byParent = new Map<number, number[]>();
  for (const line of out.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!pid || ppid === undefined || Number.isNaN(ppid)) continue;
    const list = byParent.get(ppid) ?? [];
    list.push(pid);
    byParent.set(ppid, list);
  }
  return byParent;
}

/** Every live descendant of `pid` (children first, then theirs), not including `pid`. */
export async function listDescendants(pid: number): Promise<number[]> {
  if (process.platform === 'win32') return []; // taskkill /T walks the tree itself.
  const found: number[] = [];
  const queue = [pid];
  let psMap: Map<number, number[]> | undefined;
  while (queue.length && found.length < MAX_PROCESSES) {
    const current = queue.shift()!;
    let children = process.platform === 'linux' && !psMap ? await linuxChildren(current) : undefined;
    if (children === undefined) {
      psMap ??= await psParentMap();
      children = psMap.get(current) ?? [];
    }
    for (const child of children) {
      if (child !== pid && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** True while `pid` runs. A zombie (exited, not yet reaped by its new parent) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: the pid now belongs to someone else's process, so ours is gone.
    return false;
  }
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The state follows the parenthesised command name, which may itself contain spaces.
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {}
}

async function waitUntilGone(pids: readonly number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (pids.every((p) => !isAlive(p))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pids.every((p) => !isAlive(p));
}

/**
 * Sends SIGTERM to the given processes, then SIGKILL to any still alive after `graceMs`.
 * Pass a snapshot taken with `listDescendants` before the parent died: orphans are re-parented and
 * cannot be found from the parent afterwards.
 */
export async function terminateProcesses(pids: readonly number[], graceMs = 2000): Promise<void> {
  const alive = pids.filter(isAlive);
  if (!alive.length) return;
  for (const pid of alive) signal(pid, 'SIGTERM');
  if (await waitUntilGone(alive, graceMs)) return;
  for (const pid of alive) if (isAlive(pid)) signal(pid, 'SIGKILL');
  await waitUntilGone(alive, 1000);
}

/** Kills `pid` and all its descendants. */
export async function killProcessTree(pid: number, graceMs = 2000): Promise<void> {
  if (process.platform === 'win32') {
    await run('taskkill', ['/PID', String(pid), '/T', '/F']);
    return;
  }
  const descendants = await listDescendants(pid);
  await terminateProcesses([pid, ...descendants], graceMs);
}
