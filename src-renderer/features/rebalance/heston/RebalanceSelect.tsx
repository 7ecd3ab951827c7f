/** A choice of one of a hedge run's rebalancing counts R (dates per path). */
export function RebalanceSelect({ values, value, onChange, testId }: { values: readonly number[]; value: number; onChange(r: number): void; testId: string }) {
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(Number(e.target.value))}>
      {values.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}
