/**
 * Handing accounts over (managers and admins): one account, a selection, or all of a rep's
 * accounts, to another user — or a rep's departure: deactivated, everything to a
 * successor, their laptops handing over what they hold and wiping. Before anything moves,
 * a confirmation says what will move, counted per kind by the server, and which laptops
 * still hold unsynced work; the server then moves it, and every device learns it at its
 * next sync (this one at once).
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowRightLeft } from "lucide-react";
import { type FormEvent, useState } from "react";
import { errorMessage, type Handover as HandoverRequest, type Kind, type MovePreview } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { KIND_GROUPS } from "../records/labels";

/** Kinds in the order the confirmation lists them. */
const KINDS = Object.keys(KIND_GROUPS) as Kind[];

/** What moves: chosen accounts, all of a rep's, or everything as the rep leaves. */
type Scope = "some" | "all" | "leaves";

/** Each scope's label, in the order the form offers them. */
const SCOPES = [
  ["some", "handover.some"],
  ["all", "handover.all"],
  ["leaves", "handover.leaves"],
] as const;

function Accounts({
  owner,
  chosen,
  onToggle,
}: {
  owner: string;
  chosen: Map<string, string>;
  onToggle: (id: string, title: string) => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [search, setSearch] = useState("");
  const list = useQuery({
    queryKey: queryKeys.handoverAccounts(owner, search.trim()),
    queryFn: () => api.handoverAccounts(owner, search),
  });
  return (
    <div className="handover-accounts">
      <label className="label-like">
        <span>{t("nav.search")}</span>
        <input type="search" name="account-search" value={search} onChange={(e) => setSearch(e.target.value)} />
      </label>
      {list.isError && <p role="alert">{errorMessage(list.error)}</p>}
      <ul className="list" data-testid="handover-accounts">
        {(list.data ?? []).map((a) => (
          <li key={a.id} className="row">
            <label className="check">
              <input
                type="checkbox"
                name="account"
                value={a.id}
                checked={chosen.has(a.id)}
                onChange={() => onToggle(a.id, a.title)}
              />
              <span>{a.title}</span>
            </label>
          </li>
        ))}
      </ul>
      <p className="muted" aria-live="polite">
        {t("handover.chosen", { count: chosen.size })}
      </p>
    </div>
  );
}

function Confirm({
  request,
  preview,
  onDone,
  onCancel,
}: {
  request: HandoverRequest;
  preview: MovePreview;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const move = useMutation({
    mutationFn: () => api.reassign(request),
    onSuccess: (moved) => {
      void queries.invalidateQueries();
      onDone(
        t(request.leaves ? "handover.doneLeft" : "handover.done", {
          accounts: fmt.count(moved.accounts),
          records: fmt.count(moved.records),
          to: request.to,
          from: request.from ?? "",
        }),
      );
    },
  });
  return (
    <section className="panel handover-confirm" aria-labelledby="handover-confirm-title" data-testid="handover-confirm">
      <h2 id="handover-confirm-title">{t("handover.confirmTitle", { to: request.to })}</h2>
      {request.leaves && (
        <p role="note" className="handover-leaves" data-testid="handover-leaves">
          <strong>{t("handover.leavesWarning", { from: request.from ?? "", to: request.to })}</strong>
        </p>
      )}
      {preview.records === 0 ? (
        <p>{t("handover.nothing")}</p>
      ) : (
        <>
          <p>{t("handover.willMove", { from: request.from ?? "", to: preview.to })}</p>
          <ul className="list">
            {KINDS.filter((k) => (preview.kinds[k] ?? 0) > 0).map((k) => (
              <li key={k} className="row" data-kind={k}>
                <span>{t(KIND_GROUPS[k])}</span>
                <span>{fmt.count(preview.kinds[k] ?? 0)}</span>
              </li>
            ))}
          </ul>
          <p>
            <strong>{t("handover.total", { count: preview.records })}</strong>
          </p>
        </>
      )}
      {preview.devices_with_pending.length > 0 && (
        <div className="handover-unsynced" role="note" data-testid="handover-unsynced">
          <p>{t("handover.unsynced")}</p>
          <ul className="list">
            {preview.devices_with_pending.map((d) => (
              <li key={d.device_id} className="row">
                <span>
                  {d.user} <span className="muted">{d.name}</span>
                </span>
                <span className="chip warn">{t("dashboard.pending", { count: d.pending })}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {move.isError && <p role="alert">{errorMessage(move.error)}</p>}
      <div className="form-actions">
        <button type="button" onClick={onCancel} disabled={move.isPending}>
          {t("action.cancel")}
        </button>
        <button
          type="button"
          className="primary"
          disabled={move.isPending}
          onClick={() => move.mutate()}
          data-testid="handover-confirm-button"
        >
          <ArrowRightLeft aria-hidden="true" size={16} />
          {t(request.leaves ? "handover.confirmLeaves" : "handover.confirm")}
        </button>
      </div>
    </section>
  );
}

export function Handover() {
  const { t } = useI18n();
  const api = useApi();
  const sync = useQuery({ queryKey: queryKeys.syncState, queryFn: () => api.syncState() });
  const owners = useQuery({ queryKey: queryKeys.accountOwners, queryFn: () => api.accountOwners() });
  const [from, setFrom] = useState("");
  const [scope, setScope] = useState<Scope>("some");
  const [chosen, setChosen] = useState<Map<string, string>>(new Map());
  const [to, setTo] = useState("");
  const [review, setReview] = useState<{ request: HandoverRequest; preview: MovePreview } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const ask = useMutation({
    mutationFn: async (request: HandoverRequest) => ({ request, preview: await api.handoverPreview(request) }),
    onSuccess: setReview,
  });
  const signedIn = sync.data?.user != null;
  const owner = from || owners.data?.[0] || "";

  const toggle = (id: string, title: string) =>
    setChosen((c) => {
      const next = new Map(c);
      if (next.has(id)) next.delete(id);
      else next.set(id, title);
      return next;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const some = scope === "some";
    ask.mutate({ from: owner, accounts: some ? [...chosen.keys()] : [], to: to.trim(), leaves: scope === "leaves" });
  };

  return (
    <section aria-labelledby="handover-title" className="handover">
      <div className="screen-head">
        <h1 id="handover-title">{t("handover.title")}</h1>
      </div>
      <p className="muted">{t("handover.lead")}</p>
      {sync.data && !signedIn && <p role="alert">{t("handover.needServer")}</p>}
      {done && (
        <p role="status" className="handover-done" data-testid="handover-done">
          {done}
        </p>
      )}
      <form className="form panel" onSubmit={submit}>
        <div className="form-row">
          <label>
            <span>{t("handover.from")}</span>
            <select
              name="from"
              value={owner}
              onChange={(e) => {
                setFrom(e.target.value);
                setChosen(new Map());
                setReview(null);
              }}
            >
              {(owners.data ?? []).map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t("handover.to")}</span>
            <input
              name="to"
              list="handover-users"
              value={to}
              placeholder={t("handover.toHint")}
              onChange={(e) => {
                setTo(e.target.value);
                setReview(null);
              }}
              required
            />
            <datalist id="handover-users">
              {(owners.data ?? [])
                .filter((o) => o !== owner)
                .map((o) => (
                  <option key={o} value={o} />
                ))}
            </datalist>
          </label>
        </div>
        <fieldset className="handover-scope">
          <legend>{t("handover.scope")}</legend>
          {SCOPES.map(([value, label]) => (
            <label key={value} className="check">
              <input
                type="radio"
                name="scope"
                value={value}
                checked={scope === value}
                onChange={() => {
                  setScope(value);
                  setReview(null);
                }}
              />
              <span>{t(label, { user: owner })}</span>
            </label>
          ))}
        </fieldset>
        {scope === "some" && owner && <Accounts owner={owner} chosen={chosen} onToggle={toggle} />}
        {ask.isError && <p role="alert">{errorMessage(ask.error)}</p>}
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={!signedIn || !owner || ask.isPending || (scope === "some" && chosen.size === 0)}
          >
            {t("handover.review")}
          </button>
        </div>
      </form>
      {review && (
        <Confirm
          request={review.request}
          preview={review.preview}
          onCancel={() => setReview(null)}
          onDone={(message) => {
            setReview(null);
            setChosen(new Map());
            setDone(message);
          }}
        />
      )}
    </section>
  );
}
