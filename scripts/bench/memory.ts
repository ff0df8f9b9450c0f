import { readdirSync, readFileSync } from "node:fs";

/**
 * Resident memory of a process and all its descendants, from Linux's /proc:
 * the sum of VmRSS of each process in the tree (threads share their
 * process's), sampled at an interval and summarised per phase.
 */

export interface ProcessInfo {
  pid: number;
  ppid: number;
  rssKiB: number;
  name: string;
}

/** VmRSS of a /proc/<pid>/status text, in KiB (0 for a process without one: a zombie). */
export function vmRssKiB(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** The parent pid of a /proc/<pid>/stat line (the name in brackets may hold spaces and brackets). */
export function parentPid(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[1]);
}

/** `root` and every process below it among `processes`. */
export function processTree(processes: ProcessInfo[], root: number): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const info of processes) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const tree = processes.filter((info) => info.pid === root);
  for (let at = 0; at < tree.length; at++) tree.push(...(children.get(tree[at]!.pid) ?? []));
  return tree;
}

/** A process's script (the first argument naming a .ts, .js or .mjs file), else its command name. */
export function processName(cmdline: string, status: string): string {
  const script = cmdline.split("\0").find((arg) => /\.(ts|js|mjs)$/.test(arg));
  return script ? script.split("/").at(-1)! : (/^Name:\s+(.*)$/m.exec(status)?.[1] ?? "");
}

function readProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      processes.push({
        pid: Number(entry),
        ppid: parentPid(readFileSync(`/proc/${entry}/stat`, "utf8")),
        rssKiB: vmRssKiB(status),
        name: processName(readFileSync(`/proc/${entry}/cmdline`, "utf8"), status),
      });
    } catch {
      // The process ended while the list was read.
    }
  }
  return processes;
}

/** The tree's resident memory now: in total and per process, in MiB. */
export function treeRss(root: number): { totalMiB: number; processes: { pid: number; name: string; rssMiB: number }[] } {
  const tree = processTree(readProcesses(), root);
  const processes = tree.map((info) => ({ pid: info.pid, name: info.name, rssMiB: info.rssKiB / 1024 }));
  return { totalMiB: processes.reduce((sum, info) => sum + info.rssMiB, 0), processes };
}

export interface PhaseMemory {
  phase: string;
  samples: number;
  meanMiB: number;
  maxMiB: number;
  lastMiB: number;
  /** Each process of the tree at the phase's peak. */
  atPeak: { pid: number; name: string; rssMiB: number }[];
}

/** Samples a process tree's RSS every `intervalMs`, into the phase last named by `phase()`. */
export class MemorySampler {
  private current = "start";
  private readonly samples = new Map<string, ReturnType<typeof treeRss>[]>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly root: number,
    intervalMs = 500,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Samples now and starts counting later samples under `name`. */
  phase(name: string) {
    this.current = name;
    this.sample();
  }

  private sample() {
    const now = treeRss(this.root);
    if (now.processes.length === 0) return;
    this.samples.set(this.current, [...(this.samples.get(this.current) ?? []), now]);
  }

  summary(name: string): PhaseMemory | undefined {
    const samples = this.samples.get(name);
    if (!samples?.length) return undefined;
    const peak = samples.reduce((max, sample) => (sample.totalMiB > max.totalMiB ? sample : max));
    return {
      phase: name,
      samples: samples.length,
      meanMiB: samples.reduce((sum, sample) => sum + sample.totalMiB, 0) / samples.length,
      maxMiB: peak.totalMiB,
      lastMiB: samples.at(-1)!.totalMiB,
      atPeak: peak.processes,
    };
  }

  stop() {
    clearInterval(this.timer);
  }
}
