/**
 * The import wizard: a spreadsheet (CSV in UTF-8, UTF-16 or GB18030, or Excel) brought in
 * as records, in steps: the file → its columns mapped (guessed from the headers, changeable)
 * with its first rows → every row checked, nothing written (what would be refused, likely
 * duplicates) → the import, its progress told by Rust as it writes → the summary, with the
 * refused rows to save and fix. Every rule is Rust's; this screen holds the choices.
 */

import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import {
  type ColumnChoice,
  errorMessage,
  type ImportPreviewView,
  type ImportProgress,
  type ImportSource,
  type Kind,
  type OnError,
} from "../../api/api";
import { useApi } from "../../api/context";
import type { Key } from "../../i18n/en";
import { useI18n } from "../../i18n/I18n";
import { href } from "../../shell/routes";
import { MappingStep } from "./MappingStep";
import { chooseField } from "./mapping";
import { SourceStep } from "./SourceStep";
import { Summary } from "./Summary";

type Step = "source" | "mapping" | "check" | "running" | "done";

const STEPS: readonly { step: Step; label: Key }[] = [
  { step: "source", label: "import.stepFile" },
  { step: "mapping", label: "import.stepColumns" },
  { step: "check", label: "import.stepCheck" },
  { step: "done", label: "import.stepImport" },
];

function Steps({ current }: { current: Step }) {
  const { t } = useI18n();
  const at = current === "running" ? "done" : current;
  return (
    <ol className="wizard-steps" aria-label={t("import.steps")}>
      {STEPS.map(({ step, label }, i) => (
        <li key={step} aria-current={step === at ? "step" : undefined}>
          <span className="step-number">{i + 1}</span>
          {t(label)}
        </li>
      ))}
    </ol>
  );
}

/** Rust's progress events while `listening`. */
function useImportProgress(listening: boolean): ImportProgress | null {
  const api = useApi();
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  useEffect(() => {
    if (!listening) return;
    setProgress(null);
    const stop = api.onImportProgress(setProgress);
    return () => void stop.then((unlisten) => unlisten());
  }, [api, listening]);
  return progress;
}

function Running({ progress }: { progress: ImportProgress | null }) {
  const { t } = useI18n();
  const label = progress
    ? t("import.writing", { done: progress.done, total: progress.total })
    : t("import.checkingRows");
  return (
    <section className="panel working" role="status" data-step="running">
      <span>{label}</span>
      {progress ? (
        <progress value={progress.done} max={Math.max(progress.total, 1)} aria-label={label} />
      ) : (
        <progress aria-label={label} />
      )}
    </section>
  );
}

export function ImportWizard() {
  const { t } = useI18n();
  const api = useApi();
  const [step, setStep] = useState<Step>("source");
  const [kind, setKind] = useState<Kind>("account");
  const [path, setPath] = useState("");
  const [encoding, setEncoding] = useState<string | null>(null);
  const [choices, setChoices] = useState<ColumnChoice[]>([]);
  const [onError, setOnError] = useState<OnError>("skip");
  const source: ImportSource = { path: path.trim(), encoding };

  // The last preview Rust gave: a mapping it refuses (two columns for one field) leaves it shown.
  const [shown, setShown] = useState<ImportPreviewView | null>(null);
  const preview = useMutation({
    mutationFn: (columns: ColumnChoice[]) => api.importPreview(source, kind, columns),
    onSuccess: (data) => {
      setShown(data);
      setStep((s) => (s === "source" ? "mapping" : s));
    },
  });
  const check = useMutation({
    mutationFn: () => api.importCheck(source, kind, choices),
    onSuccess: () => setStep("check"),
  });
  const run = useMutation({
    mutationFn: () => api.importRun(source, kind, choices, onError),
    onSettled: () => setStep("done"),
  });
  const progress = useImportProgress(step === "running");
  const saved = useMutation({ mutationFn: () => api.saveRejectedRows() });

  const restart = () => {
    setStep("source");
    setChoices([]);
    setShown(null);
    preview.reset();
    check.reset();
    run.reset();
    saved.reset();
  };
  const choose = (index: number, field: string) => {
    const next = chooseField(choices, shown?.columns ?? [], index, field);
    setChoices(next);
    check.reset();
    setStep("mapping");
    preview.mutate(next);
  };

  return (
    <section className="import" aria-labelledby="import-title">
      <div className="screen-head">
        <h1 id="import-title">{t("import.title")}</h1>
        <a href={href("duplicates")}>{t("duplicates.title")}</a>
      </div>
      <Steps current={step} />

      {step === "source" && (
        <SourceStep
          kind={kind}
          path={path}
          encoding={encoding}
          onChange={(next) => {
            setKind(next.kind);
            setPath(next.path);
            setEncoding(next.encoding);
            preview.reset();
          }}
          onNext={() => {
            setChoices([]);
            preview.mutate([]);
          }}
          pending={preview.isPending}
          error={preview.error}
        />
      )}

      {(step === "mapping" || step === "check") && shown && (
        <>
          <MappingStep kind={kind} preview={shown} onChoose={choose} busy={preview.isPending} />
          {preview.isError && (
            <p className="error" role="alert">
              {errorMessage(preview.error)}
            </p>
          )}
        </>
      )}

      {step === "mapping" && (
        <div className="form-actions wizard-actions">
          <button type="button" className="plain" onClick={restart}>
            {t("import.back")}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="import-check"
            onClick={() => check.mutate()}
            disabled={check.isPending || preview.isPending || preview.isError || (shown?.missing.length ?? 1) > 0}
          >
            {check.isPending ? t("import.checking") : t("import.toCheck")}
          </button>
        </div>
      )}
      {check.isError && (
        <p className="error" role="alert">
          {errorMessage(check.error)}
        </p>
      )}

      {step === "check" && check.data && (
        <section className="panel" data-step="check" aria-labelledby="check-title">
          <h2 id="check-title">{t("import.checkTitle")}</h2>
          <Summary summary={check.data} />
          <fieldset className="on-error">
            <legend>{t("import.onError")}</legend>
            <label className="radio">
              <input type="radio" name="on-error" checked={onError === "skip"} onChange={() => setOnError("skip")} />
              <span>{t("import.skip")}</span>
            </label>
            <label className="radio">
              <input type="radio" name="on-error" checked={onError === "abort"} onChange={() => setOnError("abort")} />
              <span>{t("import.abort")}</span>
            </label>
          </fieldset>
          <div className="form-actions">
            <button type="button" className="plain" onClick={() => setStep("mapping")}>
              {t("import.back")}
            </button>
            <button
              type="button"
              className="primary"
              disabled={check.data.valid === 0}
              onClick={() => {
                setStep("running");
                run.mutate();
              }}
            >
              {t("import.go", { count: check.data.valid })}
            </button>
          </div>
        </section>
      )}

      {step === "running" && <Running progress={progress} />}

      {step === "done" && (
        <section className="panel" data-step="done" aria-labelledby="done-title">
          <h2 id="done-title" data-testid="import-outcome">
            {run.data
              ? run.data.aborted
                ? t("import.aborted", { count: run.data.rejectedCount })
                : t("import.imported", { count: run.data.imported })
              : t("import.failed")}
          </h2>
          {run.isError && (
            <p className="error" role="alert">
              {errorMessage(run.error)}
            </p>
          )}
          {run.data && <Summary summary={run.data} />}
          {saved.data && (
            <p className="ok" role="status">
              {t("import.savedTo", { path: saved.data })}
            </p>
          )}
          {saved.isError && (
            <p className="error" role="alert">
              {errorMessage(saved.error)}
            </p>
          )}
          <div className="form-actions">
            {run.data && run.data.rejectedCount > 0 && (
              <button type="button" onClick={() => saved.mutate()} disabled={saved.isPending}>
                {t("import.saveRefused")}
              </button>
            )}
            {run.data && run.data.duplicatesFound > 0 && (
              <a href={href("duplicates")}>{t("import.reviewDuplicates")}</a>
            )}
            {run.data?.kind === "account" && <a href={href("accounts")}>{t("import.openAccounts")}</a>}
            <button type="button" className="primary" onClick={restart}>
              {t("import.another")}
            </button>
          </div>
        </section>
      )}
    </section>
  );
}
