// Durable approvals: one JSON file per pending approval in `<runDir>/approvals/<id>.json`. The case that asked
// stops at that point with its trace and state on disk; `agentrt approve|deny` (any process, any time later)
// writes the decision into the file; `agentrt resume` replays the recorded prefix and reads the decision there.
// Files are replaced atomically (write + rename), so a reader never sees half a decision.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AffectedRecord {
  record: string; // system.collection.id
  current: unknown;
}

export interface StoredApproval {
  id: string;
  run_id: string;
  case_key: string;
  approval_id: string;
  call_id: string;
  tool: string;
  risk: string;
  args: unknown;
  args_hash: string;
  rule: string;
  rule_reason?: string;
  /** What the agent said it wanted this for, when it said. */
  agent_reason?: string;
  affected: AffectedRecord[];
  /** `controls.approve` of the plan when it was asked: who may decide. */
  approvers: string[];
  requested_at: string;
  status: 'pending' | 'approved' | 'denied';
  decision?: { decision: 'approve' | 'deny'; by: string; reason?: string; decided_at: string };
}

export const approvalsDir = (runDir: string) => path.join(runDir, 'approvals');

/** Short, stable id a person can type: the same call of the same case always gets the same id. */
export function queueId(runId: string, caseKey: string, approvalId: string): string {
  return 'ap' + createHash('sha256').update(`${runId}\0${caseKey}\0${approvalId}`).digest('hex').slice(0, 8);
}

async function writeAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value, null, 2) + '\n');
  await fs.rename(tmp, file);
}

export async function saveApproval(runDir: string, a: StoredApproval): Promise<void> {
  await fs.mkdir(approvalsDir(runDir), { recursive: true });
  await writeAtomic(path.join(approvalsDir(runDir), `${a.id}.json`), a);
}

export async function readApproval(runDir: string, id: string): Promise<StoredApproval | undefined> {
  if (!/^[a-z0-9]+$/.test(id)) return undefined; // an id never holds a path
  try {
    return JSON.parse(await fs.readFile(path.join(approvalsDir(runDir), `${id}.json`), 'utf8')) as StoredApproval;
  } catch {
    return undefined;
  }
}

export async function listApprovals(runDir: string): Promise<StoredApproval[]> {
  const names = await fs.readdir(approvalsDir(runDir)).catch(() => [] as string[]);
  const out: StoredApproval[] = [];
  for (const n of names.filter((n) => n.endsWith('.json')).sort()) {
    const a = await readApproval(runDir, n.slice(0, -'.json'.length));
    if (a) out.push(a);
  }
  return out.sort((x, y) => x.requested_at.localeCompare(y.requested_at));
}
