import { InlineKeyboard } from "grammy";
import type { Role } from "../context.js";

type Translate = (key: string) => string;

/** Callback data of the main menu's buttons; each feature registers the one it answers. */
export const MENU = {
  virtualAccount: "menu:va",
  alfamart: "menu:alfamart",
  payments: "menu:payments",
  invite: "menu:invite",
  staff: "menu:staff",
  disburse: "menu:disburse",
  language: "menu:language",
  help: "menu:help",
} as const;

/** Big buttons for thumbs: one flow per row, owner tools below. */
export function mainMenuKeyboard(t: Translate, role: Role): InlineKeyboard {
  const keyboard = new InlineKeyboard()
    .text(t("bot-menu-va"), MENU.virtualAccount)
    .row()
    .text(t("bot-menu-alfamart"), MENU.alfamart)
    .row()
    .text(t("bot-menu-payments"), MENU.payments)
    .row();
  if (role === "owner") {
    keyboard.text(t("disburse-menu"), MENU.disburse).row();
    keyboard.text(t("bot-menu-invite"), MENU.invite).text(t("bot-menu-staff"), MENU.staff).row();
  }
  return keyboard.text(t("bot-menu-language"), MENU.language).text(t("bot-menu-help"), MENU.help);
}
