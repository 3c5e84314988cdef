/**
 * The wizard's second step: the file as Rust reads it (encoding, header line, rows) and
 * each column's field, guessed from its header in English or Chinese and changeable here;
 * a column's first values sit under its choice, and on wide windows the first rows are
 * shown as a table too.
 */

import type { ImportPreviewView, Kind } from "../../api/api";
import { useI18n } from "../../i18n/I18n";
import { fieldLabel } from "../records/labels";

/** Values of each column shown under its choice. */
const SAMPLES = 3;

export function MappingStep({
  kind,
  preview,
  onChoose,
  busy,
}: {
  kind: Kind;
  preview: ImportPreviewView;
  onChoose: (index: number, field: string) => void;
  busy: boolean;
}) {
  const { t } = useI18n();
  const label = (field: string | null) => (field ? fieldLabel(t, kind, field) : t("import.leftOut"));
  return (
    <section className="panel" data-step="mapping" aria-labelledby="mapping-title" aria-busy={busy}>
      <h2 id="mapping-title">{t("import.mappingTitle")}</h2>
      <p className="muted import-facts" data-testid="import-facts">
        {t("import.facts", { file: preview.fileName, count: preview.totalRows, line: preview.headerLine })}
        {preview.encoding && ` · ${t("import.readAs", { encoding: preview.encoding.toUpperCase() })}`}
      </p>
      {preview.missing.length > 0 && (
        <p className="error" role="alert" data-testid="import-missing">
          {t("import.missing", { fields: preview.missing.map((f) => label(f)).join(", ") })}
        </p>
      )}
      <ul className="mapping">
        {preview.columns.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a column is its place in the file
          <li key={i} className="mapping-column" data-column={i + 1}>
            <label>
              <span className="mapping-header">{c.column || t("import.columnN", { n: i + 1 })}</span>
              <select name={`map-${i + 1}`} value={c.field ?? ""} onChange={(e) => onChoose(i, e.target.value)}>
                <option value="">{t("import.leaveOut")}</option>
                {preview.importable.map((f) => (
                  <option key={f} value={f}>
                    {fieldLabel(t, kind, f)}
                  </option>
                ))}
              </select>
            </label>
            <ul className="samples" aria-label={t("import.samples")}>
              {preview.rows.slice(0, SAMPLES).map((row, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows of a file have no other identity
                <li key={r}>{row[i] ?? ""}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <table className="preview-rows" aria-label={t("import.firstRows")}>
        <thead>
          <tr>
            {preview.columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a column is its place in the file
              <th key={i} scope="col" className={c.field ? undefined : "muted"}>
                {label(c.field)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of a file have no other identity
            <tr key={r}>
              {preview.columns.map((_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a column is its place in the file
                <td key={i}>{row[i] ?? ""}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
