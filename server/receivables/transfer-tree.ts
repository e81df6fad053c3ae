import type { TransferRow } from "./receivables.repository";

export interface TreeNode {
  holder: string;
  /** The holder it first received value from; null for the creditor. */
  parent: string | null;
  depth: number;
  received: bigint;
  passedOn: bigint;
  holds: bigint;
}

/**
 * The transfer tree of one receivable from its moves in chain order. Value can reach a member from
 * several holders (and even come back), so the moves form a graph; the tree keeps each member once,
 * under the holder it first received value from, which is how a supply chain reads it (tier 1 paid
 * tier 2, tier 2 paid tier 3). Nodes come depth first, children in the order they were first paid.
 */
export function transferTree(creditor: string, faceValue: bigint, transfers: TransferRow[], holds: Map<string, bigint>): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  const children = new Map<string, string[]>();
  const node = (holder: string, parent: string | null) => {
    let found = nodes.get(holder);
    if (!found) {
      found = { holder, parent, depth: 0, received: 0n, passedOn: 0n, holds: holds.get(holder) ?? 0n };
      nodes.set(holder, found);
      if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), holder]);
    }
    return found;
  };
  node(creditor, null).received = faceValue;
  for (const transfer of transfers) {
    node(transfer.from, creditor).passedOn += BigInt(transfer.amount);
    node(transfer.to, transfer.from).received += BigInt(transfer.amount);
  }

  const ordered: TreeNode[] = [];
  const visit = (holder: string, depth: number) => {
    const current = nodes.get(holder)!;
    current.depth = depth;
    ordered.push(current);
    for (const child of children.get(holder) ?? []) visit(child, depth + 1);
  };
  visit(creditor, 0);
  return ordered;
}

/** The moves along the tree's path from the creditor to `holder`, in chain order; empty for the creditor. */
export function chainTo(holder: string, tree: TreeNode[], transfers: TransferRow[]): TransferRow[] {
  const parentOf = new Map(tree.map((node) => [node.holder, node.parent]));
  const steps = new Set<string>();
  for (let at = holder, parent = parentOf.get(at); parent; at = parent, parent = parentOf.get(at)) {
    steps.add(`${parent}>${at}`);
  }
  return transfers.filter((transfer) => steps.has(`${transfer.from}>${transfer.to}`));
}
