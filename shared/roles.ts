/** Member role bits, mirroring contracts/members/Roles.sol. */
export const ROLES = {
  ENTERPRISE: 1 << 0,
  WAREHOUSE: 1 << 1,
  LOGISTICS: 1 << 2,
  FINANCIER: 1 << 3,
  INSURER: 1 << 4,
  INSPECTOR: 1 << 5,
  REGULATOR: 1 << 6,
  AUDITOR: 1 << 7,
} as const;
export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export function roleBits(names: RoleName[]): number {
  return names.reduce((bits, name) => bits | ROLES[name], 0);
}

export function roleNames(bits: number): RoleName[] {
  return ROLE_NAMES.filter((name) => (bits & ROLES[name]) !== 0);
}

export function parseRoleNames(list: string): RoleName[] {
  return list.split(",").map((raw) => {
    const name = raw.trim().toUpperCase();
    if (!(name in ROLES)) throw new Error(`Unknown role "${raw}"; roles are ${ROLE_NAMES.join(", ")}`);
    return name as RoleName;
  });
}
