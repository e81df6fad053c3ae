import type { CalendarRow } from "./receivables.repository";
import type { MaturityCalendarView } from "./receivables.schemas";

type CalendarEntry = MaturityCalendarView["overdue"][number];

/** "YYYY-MM" of a UTC time, `monthsAhead` months later. */
function monthOf(seconds: number, monthsAhead = 0): string {
  const date = new Date(seconds * 1000);
  const month = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + monthsAhead, 1));
  return month.toISOString().slice(0, 7);
}

/**
 * A member's calendar from the repository's rows (bucket "overdue" or the due date's month, per side
 * and currency): overdue apart, then `months` months from the one `at` falls in, then the rest as
 * "later". Due in an earlier month but still within grace means to be paid now: the current month.
 */
export function maturityCalendar(rows: CalendarRow[], at: number, months: number): Omit<MaturityCalendarView, "member" | "asOf"> {
  const first = monthOf(at);
  const last = monthOf(at, months - 1);
  const bucketOf = ({ bucket }: CalendarRow) => (bucket === "overdue" ? "overdue" : bucket < first ? first : bucket > last ? "later" : bucket);

  const buckets = new Map<string, Map<string, CalendarEntry>>();
  for (const row of rows) {
    const bucket = bucketOf(row);
    const byCurrency = buckets.get(bucket) ?? new Map<string, CalendarEntry>();
    buckets.set(bucket, byCurrency);
    const entry = byCurrency.get(row.currency) ?? { currency: row.currency, receivable: "0", receivableCount: 0, payable: "0", payableCount: 0 };
    byCurrency.set(row.currency, entry);
    entry[row.side] = (BigInt(entry[row.side]) + BigInt(row.amount)).toString();
    entry[`${row.side}Count`] += row.count;
  }
  const entries = (bucket: string) => [...(buckets.get(bucket)?.values() ?? [])].sort((a, b) => a.currency.localeCompare(b.currency));
  return {
    overdue: entries("overdue"),
    months: [...buckets.keys()]
      .filter((bucket) => bucket !== "overdue" && bucket !== "later")
      .sort()
      .flatMap((month) => entries(month).map((entry) => ({ month, ...entry }))),
    later: entries("later"),
  };
}
