// Whether a date someone typed names a day the calendar has. `Date.parse` rolls 2027-02-30 over to March 2, so
// every date a person or operator gives (a form's end_date, an extension's end, a CLI option) is checked here
// first, against the days in its month, and refused with a message saying which day does not exist.

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The `YYYY-MM-DD` (or expanded `±YYYYYY-MM-DD`) a date or date-time starts with. */
const DATE_PART = /^\s*([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?=$|[T\s])/;

/**
 * Why the calendar date that `value` starts with does not exist (`February 2027 has 28 days`), or undefined
 * when it exists or `value` does not start with a `YYYY-MM-DD` date at all (other checks judge that).
 */
export function calendarDateProblem(value: string): string | undefined {
  const m = DATE_PART.exec(value);
  if (!m) return undefined;
  const [, yearText = '', monthText = '', dayText = ''] = m;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (month < 1 || month > 12) return `there is no month ${monthText}`;
  const days = daysInMonth(year, month);
  if (day >= 1 && day <= days) return undefined;
  return `${MONTHS[month - 1] ?? `month ${month}`} ${year} has ${days} days`;
}

/** `<field> <value> does not exist: <why>` when the date `value` names is not on the calendar. */
export function nonExistentDateMessage(field: string, value: string): string | undefined {
  const problem = calendarDateProblem(value);
  return problem ? `${field} ${value.trim()} does not exist: ${problem}` : undefined;
}

function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}
