/**
 * Converting a lead, one button: into a new account named after its company, or into an
 * existing account the rep picks (Rust offers likely ones by normalized company name:
 * `青岛啤酒股份有限公司` finds `青岛啤酒`); the lead's person becomes a contact; a deal is
 * opened too when asked (name and amount as typed: Rust checks and keeps the amount as an
 * exact decimal). One transaction in Rust; then the account's page opens.
 */

import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type AccountChoice, errorMessage, type FieldValues, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { str } from "./Leads";

const NEW = "new";

export function ConvertLead({ lead }: { lead: RecordView }) {
  const { t } = useI18n();
  const api = useApi();
  const company = str(lead, "company");
  const matches = useQuery({
    queryKey: queryKeys.accountMatches(lead.id),
    queryFn: () => api.accountMatches(lead.id),
  });
  // The best match is chosen at first; without one, a new account (when there is a company).
  const [picked, setPicked] = useState<string | null>(null);
  const best = matches.data?.[0]?.id;
  const choice = picked ?? best ?? NEW;
  const [withDeal, setWithDeal] = useState(false);
  const [dealName, setDealName] = useState("");
  const [amount, setAmount] = useState("");

  const convert = useMutation({
    mutationFn: () => {
      const account: AccountChoice = choice === NEW ? { type: "new" } : { type: "existing", id: choice };
      let opportunity: FieldValues | null = null;
      if (withDeal) {
        opportunity = { name: dealName.trim() || null, amount: amount.trim() || null };
      }
      return api.convertLead(lead.id, { account, opportunity });
    },
    onSuccess: (done) => {
      window.location.hash = recordHref("account", done.account);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    convert.mutate();
  };

  return (
    <form className="panel form convert" onSubmit={submit} aria-labelledby="convert-title">
      <h2 id="convert-title">{t("leads.convert")}</h2>
      <p className="muted">{t("leads.convertHint")}</p>
      <fieldset className="account-choice">
        <legend>{t("leads.intoAccount")}</legend>
        {(matches.data ?? []).map((m) => (
          <label key={m.id} className="check">
            <input
              type="radio"
              name="convert-account"
              value={m.id}
              checked={choice === m.id}
              onChange={() => setPicked(m.id)}
            />
            <span>
              {m.name} <span className="muted">{m.score >= 1 ? t("leads.sameName") : t("leads.similarName")}</span>
            </span>
          </label>
        ))}
        <label className="check">
          <input
            type="radio"
            name="convert-account"
            value={NEW}
            checked={choice === NEW}
            disabled={!company}
            onChange={() => setPicked(NEW)}
          />
          <span>{company ? t("leads.newAccount", { name: company }) : t("leads.noCompany")}</span>
        </label>
      </fieldset>
      <label className="check">
        <input type="checkbox" name="with-deal" checked={withDeal} onChange={(e) => setWithDeal(e.target.checked)} />
        <span>{t("leads.withDeal")}</span>
      </label>
      {withDeal && (
        <div className="form-row">
          <label>
            <span>{t("field.name")}</span>
            <input name="deal-name" value={dealName} onChange={(e) => setDealName(e.target.value)} required />
          </label>
          <label>
            <span>{t("field.amount")}</span>
            <input name="deal-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </label>
        </div>
      )}
      {convert.isError && (
        <p className="error" role="alert">
          {errorMessage(convert.error)}
        </p>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          disabled={convert.isPending || (choice === NEW && !company)}
          data-testid="convert"
        >
          {t("leads.convertButton")}
        </button>
      </div>
    </form>
  );
}
