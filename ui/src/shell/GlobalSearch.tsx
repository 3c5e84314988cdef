/**
 * The search field in every screen's header: `<input type="search">`, focused from
 * anywhere with Ctrl-K (Cmd-K on a Mac); Enter opens the search screen with the text.
 */

import { Search } from "lucide-react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n/I18n";
import { href } from "./routes";

export function GlobalSearch({ initial }: { initial: string }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initial);

  useEffect(() => setText(initial), [initial]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    window.location.hash = href("search", text.trim());
  };

  return (
    <search className="global-search">
      <form onSubmit={submit}>
        <Search aria-hidden="true" size={16} className="global-search-icon" />
        <input
          ref={input}
          type="search"
          name="q"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label={t("search.label")}
          placeholder={t("search.placeholder")}
          aria-keyshortcuts="Control+K Meta+K"
          autoComplete="off"
          spellCheck={false}
        />
        <kbd className="global-search-kbd">{t("search.shortcut")}</kbd>
      </form>
    </search>
  );
}
