/** The keyboard shortcuts, listed in a panel: `?` (when not typing) or the header's button. */

import { Keyboard } from "lucide-react";
import { useEffect, useRef } from "react";
import type { Key } from "../i18n/en";
import { useI18n } from "../i18n/I18n";

const SHORTCUTS: readonly [string, Key][] = [
  ["Ctrl K", "help.search"],
  ["↑ ↓ Enter", "help.searchPick"],
  ["Ctrl L", "help.log"],
  ["Ctrl Enter", "help.logSave"],
  ["Ctrl Shift L", "help.captureLead"],
  ["Esc", "help.close"],
  ["?", "help.help"],
];

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

export function Help() {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "?" && !typing(e.target)) {
        e.preventDefault();
        dialog.current?.showModal();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <button
        type="button"
        className="help-button"
        onClick={() => dialog.current?.showModal()}
        aria-label={t("help.title")}
        title={t("help.title")}
      >
        <Keyboard aria-hidden="true" size={18} />
      </button>
      <dialog ref={dialog} className="help" aria-labelledby="help-title">
        <h2 id="help-title">{t("help.title")}</h2>
        <dl className="shortcuts">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={what}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{t(what)}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog">
          <button type="submit" className="primary">
            {t("action.close")}
          </button>
        </form>
      </dialog>
    </>
  );
}
