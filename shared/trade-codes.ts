/** Formatting and checking of trade identifiers, mirroring contracts/provenance/TradeCodes.sol. */

/** The GS1 check digit of the digits before it (weights 3, 1, 3, ... from the right). */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGtin(gtin: string): boolean {
  if (!/^\d{8}$|^\d{12,14}$/.test(gtin)) return false;
  return gtinCheckDigit(gtin.slice(0, -1)) === Number(gtin.at(-1));
}

/** GTIN-14 with leading zeros, the form GS1 Digital Link and EPCIS use. */
export function formatGtin(gtin: bigint | number | string): string {
  return BigInt(gtin).toString().padStart(14, "0");
}

/** bytes3 (0x-hex, right-padded with zero bytes) to its UN/CEFACT code, e.g. 0x4b474d -> "KGM". */
export function formatUnit(unit: string): string {
  return bytes3Text(unit);
}

/** The ISO 4217 code in a contract's bytes3 currency (0x434e59 -> "CNY"); "" for zero bytes. */
export function formatCurrency(currency: string): string {
  return bytes3Text(currency);
}

/** An ISO 4217 alphabetic code to the bytes3 the contracts store. */
export function encodeCurrency(code: string): string {
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`Invalid ISO 4217 currency code "${code}"`);
  return "0x" + Buffer.from(code, "latin1").toString("hex");
}

function bytes3Text(value: string): string {
  return Buffer.from(value.slice(2), "hex").toString("latin1").replace(/\0+$/, "");
}

/** A UN/CEFACT code to the bytes3 the contract stores. */
export function encodeUnit(code: string): string {
  if (!/^[A-Z0-9]{2,3}$/.test(code)) throw new Error(`Invalid UN/CEFACT unit code "${code}"`);
  return "0x" + Buffer.from(code.padEnd(3, "\0"), "latin1").toString("hex");
}
