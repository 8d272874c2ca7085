// The calendar check every typed date goes through before Date.parse could roll it over: a day the calendar
// lacks is named with the reason, a real one (leap days included) passes, and text that is no date is left
// to the other checks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calendarDateProblem, nonExistentDateMessage } from '../../src/policy/access/calendar-date';

describe('calendarDateProblem', () => {
  it('given days the calendar lacks, then each is named with why', () => {
    assert.equal(calendarDateProblem('2027-02-30'), 'February 2027 has 28 days');
    assert.equal(calendarDateProblem('2027-02-29'), 'February 2027 has 28 days');
    assert.equal(calendarDateProblem('2027-04-31T10:00:00Z'), 'April 2027 has 30 days');
    assert.equal(calendarDateProblem('2027-12-00'), 'December 2027 has 31 days');
    assert.equal(calendarDateProblem('2027-13-01'), 'there is no month 13');
    assert.equal(calendarDateProblem('2027-00-10'), 'there is no month 00');
    assert.equal(calendarDateProblem('1900-02-29'), 'February 1900 has 28 days', 'not a leap year');
    assert.equal(calendarDateProblem('+010000-02-30'), 'February 10000 has 29 days');
  });

  it('given real days, leap days and text that is no date, then no problem', () => {
    for (const ok of [
      '2028-02-29',
      '2000-02-29',
      '2027-12-31',
      ' 2027-01-01',
      '2027-06-30 12:00',
      '+010000-02-29',
    ]) {
      assert.equal(calendarDateProblem(ok), undefined, ok);
    }
    for (const notADate of ['', 'tomorrow', '31/12/2026', '2027-2-3', '2027-02-300'])
      assert.equal(calendarDateProblem(notADate), undefined, notADate);
  });

  it('given a field and a value, then the message names both, trimmed; a real day has none', () => {
    assert.equal(
      nonExistentDateMessage('end date (end_date)', ' 2027-02-30 '),
      'end date (end_date) 2027-02-30 does not exist: February 2027 has 28 days',
    );
    assert.equal(nonExistentDateMessage('endAt', '2027-02-28'), undefined);
  });
});
