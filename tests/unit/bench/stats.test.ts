import { formatTable, median, percentile, ratio } from '../../../bench/stats';

describe('bench statistics', () => {
  it('when the sample count is odd or even, then the median is the middle value or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('when a percentile is asked, then the nearest-rank value is returned', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(values, 95)).toBe(19);
    expect(percentile(values, 100)).toBe(20);
    expect(percentile([7], 50)).toBe(7);
  });

  it('when the denominator is zero, then the ratio is not a number rather than infinity', () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(Number.isNaN(ratio(1, 0))).toBe(true);
  });

  it('when rows are printed, then columns line up under one header', () => {
    const lines = formatTable([
      { id: 'B1', metric: 'echo', value: '5 ms' },
      { id: 'B3', metric: 'Cosmos requests per Genie turn', value: '25', note: 'median' },
    ]).split('\n');
    expect(lines[0]).toMatch(/^id\s+metric\s+value\s+note$/);
    expect(lines[2]!.indexOf('5 ms') + '5 ms'.length).toBe(lines[3]!.indexOf('25') + '25'.length);
  });
});
