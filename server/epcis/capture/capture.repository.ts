import { and, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../../shared/db/client";
import { batches, products } from "../../../shared/db/schema";
import type { CapturedEvent, ClassRef, Intent } from "./document";
import type { BatchState, LedgerSnapshot } from "./planner";

/** Every lot an intent names. */
function classesOf(intent: Intent): ClassRef[] {
  switch (intent.kind) {
    case "commission":
    case "pick":
    case "ship":
    case "receive":
    case "reject":
    case "cancelShipment":
    case "retire":
      return [intent.item];
    case "transform":
      return [...intent.inputs, ...intent.outputs];
    default:
      return intent.items;
  }
}

/** What the planner needs of the indexed ledger: the products and batches a document names. */
export function createCaptureRepository(db: Database) {
  return {
    async snapshot(events: readonly CapturedEvent[]): Promise<LedgerSnapshot> {
      const classes = events.flatMap((event) => classesOf(event.intent));
      const hints = events.map((event) => event.batchHint?.id).filter((id): id is number => id !== undefined);
      const gtins = [...new Set(classes.map((c) => c.gtin))];
      const lots = [...new Map(classes.map((c) => [`${c.gtin}/${c.lot}`, c])).values()];
      const conditions = [
        ...lots.map((c) => and(eq(batches.gtin, c.gtin), eq(batches.lot, c.lot))),
        ...(hints.length > 0 ? [inArray(batches.id, hints)] : []),
      ];
      const [productRows, batchRows] = await Promise.all([
        gtins.length > 0 ? db.select({ gtin: products.gtin }).from(products).where(inArray(products.gtin, gtins)) : [],
        conditions.length > 0 ? db.select().from(batches).where(or(...conditions)) : [],
      ]);
      return {
        products: new Set(productRows.map((row) => row.gtin)),
        batches: batchRows.map(
          (row): BatchState => ({
            id: row.id,
            gtin: row.gtin,
            lot: row.lot,
            unit: row.unit,
            quantity: BigInt(row.quantity),
            producer: row.producer.toLowerCase(),
            custodian: row.custodian.toLowerCase(),
            pendingRecipient: row.pendingRecipient?.toLowerCase() ?? null,
            status: row.status,
            originRegion: row.originRegion,
          }),
        ),
      };
    },
  };
}
export type CaptureRepository = ReturnType<typeof createCaptureRepository>;
