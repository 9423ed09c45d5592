import { InlineKeyboard } from "grammy";

/** One row per choice: [label, callback data]. */
export function choiceKeyboard(choices: ReadonlyArray<readonly [label: string, data: string]>, perRow = 2): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  choices.forEach(([label, data], i) => {
    keyboard.text(label, data);
    if ((i + 1) % perRow === 0) keyboard.row();
  });
  return keyboard;
}
