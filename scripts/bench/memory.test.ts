import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parentPid, processName, processTree, treeRss, vmRssKiB } from "./memory";

describe("process tree memory", () => {
  it("reads VmRSS and the parent pid, whatever the command name holds", () => {
    expect(vmRssKiB("Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t  123456 kB\nThreads:\t11\n")).toBe(123456);
    expect(vmRssKiB("Name:\tzombie\nState:\tZ (zombie)\n")).toBe(0);
    expect(parentPid("4242 (a) b (c)) S 17 4242 4242 0 -1")).toBe(17);
  });

  it("names a process by its script, else by its command", () => {
    expect(processName(["/usr/bin/node", "--import", "tsx", "/srv/app/scripts/serve.ts", "start"].join("\0"), "Name:\tnode\n")).toBe("serve.ts");
    expect(processName("postgres\0-D\0/data", "Name:\tpostgres\n")).toBe("postgres");
  });

  it("takes the root and its descendants only", () => {
    const info = (pid: number, ppid: number) => ({ pid, ppid, rssKiB: pid, name: String(pid) });
    const processes = [info(1, 0), info(10, 1), info(11, 10), info(12, 11), info(20, 1), info(13, 10)];
    expect(processTree(processes, 10).map((item) => item.pid).sort()).toEqual([10, 11, 12, 13]);
    expect(processTree(processes, 99)).toEqual([]);
  });

  it("counts a child process's memory in its parent's tree", async () => {
    const child = spawn(process.execPath, ["-e", "const a = Buffer.alloc(64 * 2 ** 20, 1); setInterval(() => a[0]++, 1000)"]);
    try {
      const deadline = Date.now() + 10_000;
      let childMiB = 0;
      while (childMiB < 64 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        childMiB = treeRss(child.pid!).totalMiB;
      }
      expect(childMiB).toBeGreaterThanOrEqual(64);
      const own = treeRss(process.pid);
      expect(own.processes.map((item) => item.pid)).toContain(child.pid);
      expect(own.totalMiB).toBeGreaterThan(childMiB);
    } finally {
      child.kill();
    }
  });
});
