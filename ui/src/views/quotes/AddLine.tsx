/**
 * Adding a line to a quote: search the product catalogue as you type (name or SKU) and
 * pick one (Rust fills in its name and its price in the quote's currency), or add a line
 * of your own with a description and a price. The quantity starts at 1.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { errorMessage, type FieldValues, listQuery, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { cellValue } from "./Lines";

function str(r: RecordView, field: string): string | null {
  const v = r.fields[field];
  return typeof v === "string" ? v : null;
}

export function AddLine({ quote }: { quote: RecordView }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const id = useId();
  const [search, setSearch] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [price, setPrice] = useState("");
  const q = search.trim();
  const products = useQuery({
    queryKey: queryKeys.list("product", { search: q, limit: 8 }),
    queryFn: () => api.listRecords("product", listQuery({ search: q, limit: 8 })),
    enabled: q.length > 0,
    placeholderData: (previous) => previous,
  });
  const add = useMutation({
    mutationFn: (values: FieldValues) => api.addQuoteLine(quote.id, values),
    onSuccess: (updated) => {
      queries.setQueryData(queryKeys.record(quote.id), updated);
      setSearch("");
      setPrice("");
      setQuantity("1");
    },
  });
  const addProduct = (product: RecordView) => add.mutate({ product_id: product.id, quantity: cellValue(quantity) });
  const addOwn = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ description: cellValue(search), unit_price: cellValue(price), quantity: cellValue(quantity) });
  };
  const found = q ? (products.data?.records ?? []) : [];
  return (
    <form className="add-line" onSubmit={addOwn} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("quotes.addLine")}</h3>
      <div className="form-row">
        <label className="grow">
          <span>{t("quotes.findProduct")}</span>
          <input
            type="search"
            name="product-search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder={t("quotes.findProductPlaceholder")}
            autoComplete="off"
          />
        </label>
        <label className="narrow">
          <span>{t("field.quantity")}</span>
          <input
            name="new-quantity"
            inputMode="decimal"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
        </label>
      </div>
      {found.length > 0 && (
        <ul className="product-options" aria-label={t("kinds.product")}>
          {found.map((p) => {
            const unit = str(p, "unit_price");
            const currency = str(p, "currency");
            return (
              <li key={p.id}>
                <button type="button" className="plain product-option" onClick={() => addProduct(p)} data-id={p.id}>
                  <span className="product-name">{p.title}</span>
                  <span className="muted">
                    {str(p, "sku")}
                    {unit && currency ? ` · ${fmt.money(unit, currency)}` : ""}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {q && products.isSuccess && found.length === 0 && <p className="muted">{t("quotes.noProduct")}</p>}
      {q && (
        <div className="form-row own-line">
          <label className="narrow">
            <span>{t("field.unitPrice")}</span>
            <input name="new-price" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
          </label>
          <button type="submit" className="small" disabled={add.isPending}>
            {t("quotes.addOwnLine", { description: q })}
          </button>
        </div>
      )}
      {add.isError && (
        <p className="error" role="alert">
          {errorMessage(add.error)}
        </p>
      )}
    </form>
  );
}
