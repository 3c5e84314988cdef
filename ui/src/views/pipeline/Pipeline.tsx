/**
 * The pipeline board and the opportunity page (`#/pipeline/ID`): the second part of
 * issue 9, built in this folder. The commands are there (`pipelineSummary`, `listRecords`
 * of opportunities by stage, `updateRecord` of `stage`, `getRecord`); until then the
 * screen says so.
 */

import { useI18n } from "../../i18n/I18n";

export function Pipeline({ id }: { id: string | null }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="pipeline-title">
      <h1 id="pipeline-title">{t("nav.pipeline")}</h1>
      <p className="muted" data-id={id ?? undefined}>
        {t("screen.comingNext")}
      </p>
    </section>
  );
}
