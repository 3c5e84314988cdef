/**
 * Search everywhere, in every screen's header: an `<input type="search">` focused from
 * anywhere with Ctrl-K (Cmd-K on a Mac). Results appear as you type, grouped by kind
 * (a combobox: arrows move, Enter opens the chosen record, or the best one); Enter with no
 * result opens the search screen with the text; Escape closes the list.
 */

import { useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { queryKeys, useApi } from "../api/context";
import { useI18n } from "../i18n/I18n";
import { KIND_GROUPS } from "../views/records/labels";
import { groupByKind } from "../views/search/results";
import { href, recordHref } from "./routes";

const SHOWN = 20;

export function GlobalSearch({ initial }: { initial: string }) {
  const { t } = useI18n();
  const api = useApi();
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initial);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = text.trim();
  const results = useQuery({
    queryKey: queryKeys.search(query),
    queryFn: () => api.search(query, SHOWN),
    enabled: open && query.length > 0,
    placeholderData: (previous) => previous,
  });
  const groups = groupByKind(results.data ?? []);
  const flat = groups.flatMap(([, hits]) => hits);

  useEffect(() => setText(initial), [initial]);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const go = (to: string) => {
    setOpen(false);
    window.location.hash = to;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = open ? flat[active] : undefined;
    if (chosen) go(recordHref(chosen.kind, chosen.id, chosen.account_id));
    else go(href("search", query));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(flat.length - 1, 0)));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Escape") {
      setOpen(false);
    }
  };

  const showList = open && query.length > 0 && flat.length > 0;
  let index = -1;
  return (
    <search className="global-search">
      <form onSubmit={submit}>
        <Search aria-hidden="true" size={16} className="global-search-icon" />
        <input
          ref={input}
          type="search"
          name="q"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onFocus={() => setOpen(true)}
          aria-label={t("search.label")}
          placeholder={t("search.placeholder")}
          aria-keyshortcuts="Control+K Meta+K"
          autoComplete="off"
          spellCheck={false}
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList ? `${listId}-${active}` : undefined}
        />
        <kbd className="global-search-kbd">{t("search.shortcut")}</kbd>
      </form>
      {showList && (
        <div className="search-popup" id={listId} role="listbox" aria-label={t("search.results")}>
          {groups.map(([kind, hits]) => (
            // biome-ignore lint/a11y/useSemanticElements: a group of options in the combobox's listbox (ARIA's pattern); <fieldset> is for form controls
            <div key={kind} role="group" aria-labelledby={`${listId}-${kind}`} className="search-group">
              <p id={`${listId}-${kind}`} className="search-group-title">
                {t(KIND_GROUPS[kind])}
              </p>
              {hits.map((h) => {
                index += 1;
                const i = index;
                return (
                  <div
                    key={h.id}
                    id={`${listId}-${i}`}
                    role="option"
                    tabIndex={-1}
                    aria-selected={i === active}
                    className="search-option"
                    data-kind={h.kind}
                    onMouseDown={(e) => {
                      e.preventDefault();
                      go(recordHref(h.kind, h.id, h.account_id));
                    }}
                    onMouseEnter={() => setActive(i)}
                  >
                    {h.title || "—"}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      )}
    </search>
  );
}
