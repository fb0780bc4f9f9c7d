/**
 * Formats an amount in minor units for people, with the currency's own number of decimals.
 *
 * ICU knows each currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD), so no table is kept here.
 *
 * @example
 * formatMoney(123450, 'EUR') // '1,234.50 EUR'
 * formatMoney(500, 'JPY')    // '500 JPY'
 */
export function formatMoney(minorUnits: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const amount = new Intl.NumberFormat('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minorUnits / 10 ** digits);
  return `${amount} ${currency}`;
}
