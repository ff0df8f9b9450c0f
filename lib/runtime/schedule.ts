import { processSingleton } from "./singleton";

/**
 * Periodic background tasks, one per name and process: a task runs every
 * `intervalMs`, never overlapping itself, and never keeps the process alive.
 */

const schedules = processSingleton("schedules", () => new Map<string, NodeJS.Timeout>());

export function every(name: string, intervalMs: number, task: () => Promise<unknown>): void {
  if (schedules.has(name)) return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch((error: unknown) => console.error(`Scheduled task ${name} failed:`, error))
      .finally(() => (running = false));
  }, intervalMs).unref();
  schedules.set(name, timer);
}

