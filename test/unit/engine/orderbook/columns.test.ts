import { describe, expect, it } from 'vitest';
import { absentColumns, guessTimeUnit, mappedColumns, matchHeader, normaliseName } from '../../../../src-main/engine/orderbook/columns';

const COMPETITION = ['time_id', 'seconds_in_bucket', 'bid_price1', 'ask_price1', 'bid_price2', 'ask_price2', 'bid_size1', 'ask_size1', 'bid_size2', 'ask_size2'];

describe('matching a header to book roles', () => {
  it('recognises the competition layout with two levels', () => {
    const m = matchHeader(COMPETITION);
    expect(m.kind).toBe('competition');
    expect(m.missing).toEqual([]);
    expect(m.mapping).toMatchObject({ layout: 'competition', levels: 2, timeId: 'time_id', secondsInBucket: 'seconds_in_bucket', bidPrice: ['bid_price1', 'bid_price2'], askSize: ['ask_size1', 'ask_size2'] });
    expect(mappedColumns(m.mapping!)).toHaveLength(10);
  });

  it('matches names case-insensitively and without separators, keeping the file spelling', () => {
    const m = matchHeader(['TIME_ID', 'Seconds_In_Bucket', 'BidPrice1', 'AskPrice1', 'BID-PRICE-2', 'ask_price_2', 'bidsize1', 'AskSize1', 'bid_size_2', 'ASK_SIZE2', 'stock_id']);
    expect(m.mapping?.bidPrice).toEqual(['BidPrice1', 'BID-PRICE-2']);
    expect(m.mapping?.stockId).toBe('stock_id');
    expect(normaliseName('Bid_Price-1')).toBe('bidprice1');
  });

  it('names what is missing and gives no mapping', () => {
    const m = matchHeader(COMPETITION.filter((c) => c !== 'ask_size2'));
    expect(m.mapping).toBeNull();
    expect(m.missing).toEqual(['ask_size2']);
    expect(m.suggested.askSize).toEqual(['ask_size1', '']);
  });

  it('recognises a generic level-k book by its timestamp and counts the complete levels', () => {
    const cols = ['timestamp'];
    for (let k = 1; k <= 3; k++) cols.push(`bid_price_${k}`, `bid_size_${k}`, `ask_price_${k}`, `ask_size_${k}`);
    cols.push('bid_price_4'); // incomplete level 4 is ignored
    const m = matchHeader(cols, { timestampSample: '1700000000123' });
    expect(m.kind).toBe('generic');
    expect(m.mapping).toMatchObject({ layout: 'generic', levels: 3, timestamp: 'timestamp', timestampUnit: 'ms', bucketSeconds: 600 });
  });

  it('asks for a mapping when the names differ', () => {
    const m = matchHeader(['ts_ms', 'bp1', 'bq1', 'ap1', 'aq1']);
    expect(m.mapping).toBeNull();
    expect(m.missing).toEqual(['timestamp', 'bid_price1', 'bid_size1', 'ask_price1', 'ask_size1']);
  });

  it('tells trade files apart', () => {
    expect(matchHeader(['time_id', 'seconds_in_bucket', 'price', 'size', 'order_count']).kind).toBe('trade');
  });

  it('lists mapped columns the header lacks', () => {
    const m = matchHeader(COMPETITION).mapping!;
    expect(absentColumns(m, COMPETITION.slice(0, 8))).toEqual(['bid_size2', 'ask_size2']);
  });

  it('guesses timestamp units from the magnitude or ISO text', () => {
    expect(guessTimeUnit('1700000000')).toBe('s');
    expect(guessTimeUnit('1700000000.25')).toBe('s');
    expect(guessTimeUnit('1700000000123')).toBe('ms');
    expect(guessTimeUnit('1700000000123456')).toBe('us');
    expect(guessTimeUnit('1700000000123456789')).toBe('ns');
    expect(guessTimeUnit('2023-11-14T22:13:20Z')).toBe('iso');
    expect(guessTimeUnit(undefined)).toBe('s');
  });
});
