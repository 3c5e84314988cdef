/** Settings' way to the data tools: bring records in from a spreadsheet, tidy duplicates. */

import { Copy, FileUp } from "lucide-react";
import { useI18n } from "../../i18n/I18n";
import { href } from "../../shell/routes";

export function DataPanel() {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="data-title">
      <h2 id="data-title">{t("data.title")}</h2>
      <ul className="data-links">
        <li>
          <a href={href("import")} className="with-icon">
            <FileUp aria-hidden="true" size={18} />
            {t("data.import")}
          </a>
        </li>
        <li>
          <a href={href("duplicates")} className="with-icon">
            <Copy aria-hidden="true" size={18} />
            {t("data.duplicates")}
          </a>
        </li>
      </ul>
    </section>
  );
}
