/**
 * The wizard's first step: what the rows are (accounts, contacts, ...), which file (typed,
 * or chosen in the OS's dialog) and, if detection guessed wrong, its text encoding.
 */

import { useMutation } from "@tanstack/react-query";
import { FolderOpen } from "lucide-react";
import type { FormEvent } from "react";
import { errorMessage, type Kind } from "../../api/api";
import { useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { KIND_GROUPS } from "../records/labels";

/** The kinds a spreadsheet may bring in. */
export const IMPORT_KINDS: readonly Kind[] = ["account", "contact", "opportunity", "product", "lead"];
/** Encodings a CSV file may be read with (Rust's names); none chosen: detected. */
const ENCODINGS = ["utf-8", "gb18030", "utf-16le", "utf-16be"] as const;

export function SourceStep({
  kind,
  path,
  encoding,
  onChange,
  onNext,
  pending,
  error,
}: {
  kind: Kind;
  path: string;
  encoding: string | null;
  onChange: (next: { kind: Kind; path: string; encoding: string | null }) => void;
  onNext: () => void;
  pending: boolean;
  error: unknown;
}) {
  const { t } = useI18n();
  const api = useApi();
  const pick = useMutation({
    mutationFn: () => api.pickImportFile(),
    onSuccess: (chosen) => {
      if (chosen) onChange({ kind, path: chosen, encoding });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onNext();
  };
  return (
    <form className="panel form" onSubmit={submit} data-step="source" aria-labelledby="source-title">
      <h2 id="source-title">{t("import.sourceTitle")}</h2>
      <label>
        <span>{t("import.kind")}</span>
        <select
          name="kind"
          value={kind}
          onChange={(e) => {
            const next = IMPORT_KINDS.find((k) => k === e.target.value);
            if (next) onChange({ kind: next, path, encoding });
          }}
        >
          {IMPORT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(KIND_GROUPS[k])}
            </option>
          ))}
        </select>
      </label>
      <div className="form-row file-row">
        <label className="grow">
          <span>{t("import.file")}</span>
          <input
            name="path"
            value={path}
            onChange={(e) => onChange({ kind, path: e.target.value, encoding })}
            required
            autoComplete="off"
            spellCheck={false}
            aria-describedby="file-hint"
          />
        </label>
        <button type="button" onClick={() => pick.mutate()} disabled={pick.isPending}>
          <FolderOpen aria-hidden="true" size={16} />
          {t("import.choose")}
        </button>
      </div>
      <small id="file-hint" className="muted">
        {t("import.fileHint")}
      </small>
      <label>
        <span>{t("import.encoding")}</span>
        <select
          name="encoding"
          value={encoding ?? ""}
          onChange={(e) => onChange({ kind, path, encoding: e.target.value || null })}
        >
          <option value="">{t("import.encodingAuto")}</option>
          {ENCODINGS.map((name) => (
            <option key={name} value={name}>
              {name.toUpperCase()}
            </option>
          ))}
        </select>
      </label>
      {(error || pick.error) && (
        <p className="error" role="alert">
          {errorMessage(error ?? pick.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={pending || path.trim() === ""}>
          {t("import.toMapping")}
        </button>
      </div>
    </form>
  );
}
