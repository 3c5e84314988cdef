/**
 * First run: no store in the data directory yet. The rep names themself and a default
 * currency and starts working offline at once; connecting to a server comes later, from
 * Settings. Errors (a bad currency code) come from Rust and are shown beside the form.
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/api";
import { queryKeys, useApi } from "../api/context";
import { useI18n } from "../i18n/I18n";
import { LanguageSwitch } from "../shell/LanguageSwitch";

export function FirstRun() {
  const { t, locale } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [user, setUser] = useState("");
  const [currency, setCurrency] = useState(locale === "zh-CN" ? "CNY" : "EUR");
  const init = useMutation({
    mutationFn: () => api.initStore(user, currency),
    onSuccess: () => queries.invalidateQueries({ queryKey: queryKeys.appInfo }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    init.mutate();
  };

  return (
    <main className="first-run" id="main" tabIndex={-1}>
      <div className="first-run-lang">
        <LanguageSwitch />
      </div>
      <form className="card" onSubmit={submit} aria-labelledby="first-run-title">
        <h1 id="first-run-title">{t("firstRun.title")}</h1>
        <p>{t("firstRun.intro")}</p>
        <label>
          <span>{t("firstRun.name")}</span>
          <input name="user" value={user} onChange={(e) => setUser(e.target.value)} required autoComplete="name" />
        </label>
        <label>
          <span>{t("firstRun.currency")}</span>
          <input
            name="currency"
            value={currency}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            required
            maxLength={3}
            pattern="[A-Za-z]{3}"
            aria-describedby="currency-hint"
            autoComplete="off"
          />
          <small id="currency-hint">{t("firstRun.currencyHint")}</small>
        </label>
        {init.isError && (
          <p className="error" role="alert">
            {errorMessage(init.error)}
          </p>
        )}
        <button type="submit" className="primary" disabled={init.isPending}>
          {init.isPending ? t("firstRun.starting") : t("firstRun.start")}
        </button>
      </form>
    </main>
  );
}
