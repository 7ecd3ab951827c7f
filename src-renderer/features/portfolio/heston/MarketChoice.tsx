import styles from './heston.module.css';
import { cx } from '../../../styles/cx';

export type PortfolioMarket = 'bs' | 'heston';

const KEY = 'hw-portfolio-market';

/** The market last chosen on the Portfolio tab (kept across reloads). */
export function loadMarketChoice(): PortfolioMarket {
  try {
    return window.localStorage.getItem(KEY) === 'heston' ? 'heston' : 'bs';
  } catch {
    return 'bs';
  }
}

export function saveMarketChoice(m: PortfolioMarket): void {
  try {
    window.localStorage.setItem(KEY, m);
  } catch {
    // storage unavailable: the choice holds for this session only
  }
}

/** "Market: [Black–Scholes book] [Heston (one asset)]" at the top of the Portfolio tab's left column. */
export function MarketChoice({ value, onChoose }: { value: PortfolioMarket; onChoose(m: PortfolioMarket): void }) {
  const item = (m: PortfolioMarket, text: string) => (
    <button type="button" className={cx('small', value === m && styles.on)} aria-pressed={value === m} data-testid={`market-${m}`} onClick={() => onChoose(m)}>
      {text}
    </button>
  );
  return (
    <div className={styles.marketChoice} role="group" aria-label="Market" data-testid="market-choice">
      <span className="muted">Market</span>
      {item('bs', 'Black–Scholes book')}
      {item('heston', 'Heston (one asset)')}
    </div>
  );
}
