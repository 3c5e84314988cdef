/**
 * Likely duplicates: the pairs of accounts (or contacts) Rust finds alike, best first, each
 * with its score and reasons; one pair at a time is reviewed and merged field by field
 * (`MergePair`). A merge is an ordinary edit that syncs; the list refreshes from Rust's
 * change event.
 */

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type DuplicatePair, errorMessage, type Kind } from "../../api/api";
import { useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { KIND_GROUPS } from "../records/labels";
import { MergePair } from "./MergePair";
import { reasonText, scoreText } from "./reasons";

const KINDS: readonly Kind[] = ["account", "contact"];
/** Pairs shown at once; the best come first. */
const SHOWN = 100;

function PairRow({ pair, onReview }: { pair: DuplicatePair; onReview: () => void }) {
  const i18n = useI18n();
  return (
    <li className="pair-row" data-pair={`${pair.a} ${pair.b}`}>
      <div className="pair-names">
        <span className="pair-name">{pair.a_name}</span>
        <span className="pair-name">{pair.b_name}</span>
      </div>
      <div className="row-meta">
        <span className="chip">{scoreText(i18n, pair.score)}</span>
        {pair.reasons.map((r) => (
          <span key={r.reason}>{reasonText(i18n, r)}</span>
        ))}
      </div>
      <button type="button" className="small" onClick={onReview}>
        {i18n.t("duplicates.review")}
      </button>
    </li>
  );
}

export function Duplicates() {
  const { t } = useI18n();
  const api = useApi();
  const [kind, setKind] = useState<Kind>("account");
  const [open, setOpen] = useState<DuplicatePair | null>(null);
  const [merged, setMerged] = useState<string | null>(null);
  const pairs = useQuery({ queryKey: ["duplicates", kind], queryFn: () => api.findDuplicates(kind) });
  const list = pairs.data ?? [];

  return (
    <section className="duplicates" aria-labelledby="duplicates-title">
      <div className="screen-head">
        <h1 id="duplicates-title">{t("duplicates.title")}</h1>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t("duplicates.kind")}</legend>
          {KINDS.map((k) => (
            <button
              key={k}
              type="button"
              aria-pressed={k === kind}
              data-kind={k}
              onClick={() => {
                setKind(k);
                setOpen(null);
                setMerged(null);
              }}
            >
              {t(KIND_GROUPS[k])}
            </button>
          ))}
        </fieldset>
      </div>
      <p className="muted">{t("duplicates.intro")}</p>
      {merged && (
        <p className="ok" role="status" data-testid="merged">
          {merged}
        </p>
      )}
      {open && (
        <MergePair
          key={`${open.a} ${open.b}`}
          pair={open}
          onClose={() => setOpen(null)}
          onMerged={(text) => {
            setOpen(null);
            setMerged(text);
          }}
        />
      )}
      {pairs.isError && (
        <p className="error" role="alert">
          {errorMessage(pairs.error)}
        </p>
      )}
      {pairs.isPending && <p className="muted">{t("duplicates.looking")}</p>}
      {pairs.isSuccess && list.length === 0 && <p data-testid="no-duplicates">{t("duplicates.none")}</p>}
      {list.length > 0 && (
        <section className="panel" aria-labelledby="pairs-title">
          <h2 id="pairs-title">{t("duplicates.found", { count: list.length })}</h2>
          <ul className="list pairs">
            {list.slice(0, SHOWN).map((pair) => (
              <PairRow
                key={`${pair.a} ${pair.b}`}
                pair={pair}
                onReview={() => {
                  setMerged(null);
                  setOpen(pair);
                }}
              />
            ))}
          </ul>
          {list.length > SHOWN && <p className="muted">{t("duplicates.more", { count: list.length - SHOWN })}</p>}
        </section>
      )}
    </section>
  );
}
