/** The user's own calendar day, as Rust takes it (`YYYY-MM-DD`, in this machine's zone). */
export function localDay(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
