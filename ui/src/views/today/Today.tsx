/**
 * Today: the rep's day at a glance. Tasks overdue, due today and this week (done in one
 * click); reminders (renewals, likely reorders, overdue cases); open deals closing this
 * month; the latest activities. One click to each record.
 */

import { useQuery } from "@tanstack/react-query";
import { Plus, UserPlus } from "lucide-react";
import { errorMessage, type RecordView, type StoreInfo } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { openQuickLog } from "../activity/QuickLog";
import { openLeadCapture } from "../leads/LeadCapture";
import { localDay } from "../records/day";
import { choiceLabel } from "../records/labels";
import { Reminders } from "../reminders/Reminders";
import { TaskRow } from "../tasks/TaskRow";

function str(r: RecordView, field: string): string | null {
  const v = r.fields[field];
  return typeof v === "string" ? v : null;
}

export function useAgenda() {
  const api = useApi();
  const today = localDay();
  return useQuery({ queryKey: queryKeys.agenda(today), queryFn: () => api.agenda(today), refetchInterval: 60_000 });
}

function Deal({ deal }: { deal: RecordView }) {
  const { t, fmt } = useI18n();
  const amount = str(deal, "amount");
  const currency = str(deal, "currency");
  const close = str(deal, "close_date");
  const stage = str(deal, "stage");
  return (
    <li className="row">
      <a href={recordHref("opportunity", deal.id)}>{deal.title}</a>
      <span className="row-meta">
        {stage && <span className="chip">{choiceLabel(t, "stage", stage)}</span>}
        {amount && currency && <span className="money">{fmt.money(amount, currency)}</span>}
        {close && <span>{fmt.date(close)}</span>}
      </span>
    </li>
  );
}

function Activity({ activity }: { activity: RecordView }) {
  const { t, fmt } = useI18n();
  const kind = str(activity, "activity_kind");
  const at = str(activity, "at");
  return (
    <li className="row">
      <a href={recordHref("activity", activity.id, str(activity, "account_id"))}>
        {activity.title || (kind ? choiceLabel(t, "activity_kind", kind) : t("kind.activity"))}
      </a>
      <span className="row-meta">
        {kind && <span className="chip">{choiceLabel(t, "activity_kind", kind)}</span>}
        {at && <span>{fmt.relative(at)}</span>}
      </span>
    </li>
  );
}

export function Today({ store }: { store: StoreInfo }) {
  const { t } = useI18n();
  const agenda = useAgenda();
  const day = agenda.data;
  const tasksDue = day ? day.overdue.length + day.due_today.length + day.due_soon.length : 0;
  return (
    <section aria-labelledby="today-title" className="today">
      <div className="screen-head">
        <h1 id="today-title">{t("nav.today")}</h1>
        <div className="head-actions">
          <button type="button" onClick={() => openLeadCapture()}>
            <UserPlus aria-hidden="true" size={16} />
            {t("leads.new")}
          </button>
          <button type="button" className="primary" onClick={() => openQuickLog()}>
            <Plus aria-hidden="true" size={16} />
            {t("activity.log")}
          </button>
        </div>
      </div>
      <p className="lead" data-testid="greeting">
        {t("today.greeting", { user: store.user })}
      </p>
      {agenda.isError && (
        <p className="error" role="alert">
          {errorMessage(agenda.error)}
        </p>
      )}
      {day && (
        <div className="today-grid">
          <section className="panel" aria-labelledby="today-tasks">
            <h2 id="today-tasks">{t("today.tasks")}</h2>
            {tasksDue === 0 && <p className="muted">{t("today.noTasks")}</p>}
            {day.overdue.length > 0 && (
              <>
                <h3 className="overdue-head">{t("today.overdue")}</h3>
                <ul className="list" data-testid="overdue">
                  {day.overdue.map((task) => (
                    <TaskRow key={task.id} task={task} overdue />
                  ))}
                </ul>
              </>
            )}
            {day.due_today.length > 0 && (
              <>
                <h3>{t("today.dueToday")}</h3>
                <ul className="list" data-testid="due-today">
                  {day.due_today.map((task) => (
                    <TaskRow key={task.id} task={task} />
                  ))}
                </ul>
              </>
            )}
            {day.due_soon.length > 0 && (
              <>
                <h3>{t("today.dueSoon")}</h3>
                <ul className="list">
                  {day.due_soon.map((task) => (
                    <TaskRow key={task.id} task={task} />
                  ))}
                </ul>
              </>
            )}
          </section>
          <Reminders />
          <section className="panel" aria-labelledby="today-deals">
            <h2 id="today-deals">{t("today.closing")}</h2>
            {day.closing.length === 0 ? (
              <p className="muted">{t("today.noDeals")}</p>
            ) : (
              <ul className="list">
                {day.closing.map((deal) => (
                  <Deal key={deal.id} deal={deal} />
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="today-activities">
            <h2 id="today-activities">{t("today.activities")}</h2>
            {day.activities.length === 0 ? (
              <p className="muted">{t("today.noActivities")}</p>
            ) : (
              <ul className="list">
                {day.activities.map((a) => (
                  <Activity key={a.id} activity={a} />
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
