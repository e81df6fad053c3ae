import { formatCurrency } from "../shared/trade-codes";
import { formatNumber } from "./output";

/**
 * ISO 4217 minor-unit exponents that are not 2 (the exponent of most currencies, CNY, USD and EUR
 * among them): amounts on-chain are integers of the minor unit, so CNY 60,000.00 is 6000000.
 */
const MINOR_UNIT_EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function minorUnitExponent(code: string): number {
  return MINOR_UNIT_EXPONENTS[code] ?? 2;
}

/** The ISO 4217 code of a currency given as a code ("CNY") or as the contracts' bytes3 ("0x434e59"). */
export function currencyCode(currency: string): string {
  return currency.startsWith("0x") ? formatCurrency(currency) : currency;
}

/** Minor units as a readable amount: 6000000 CNY -> "CNY 60,000.00", 1500 JPY -> "JPY 1,500". */
export function formatMoney(amount: bigint, currency: string): string {
  const code = currencyCode(currency);
  const exponent = minorUnitExponent(code);
  if (exponent === 0) return `${code} ${formatNumber(amount)}`;
  const scale = 10n ** BigInt(exponent);
  const fraction = (amount % scale).toString().padStart(exponent, "0");
  return `${code} ${formatNumber(amount / scale)}.${fraction}`;
}

/** Basis points as a percentage: 450 -> "4.50%". */
export function formatBps(bps: bigint | number): string {
  const value = BigInt(bps);
  return `${formatNumber(value / 100n)}.${(value % 100n).toString().padStart(2, "0")}%`;
}
