/** What `leadingCommand` gives for a command addressed to another bot ("/start@KasirHelperBot"). */
export const ANOTHER_BOTS = "@another-bot";

/** "/name" or "/name@bot" at the start of a message. */
const COMMAND = /^\/(\w+)(?:@(\w+))?/;

/**
 * The command a message starts with, read as grammY's command() reads it: its name with its case kept
 * ("/kirimdana@toko_wati_bot 5" -> "kirimdana"), ANOTHER_BOTS when it names another bot, or undefined when
 * the message starts with none.
 */
export function leadingCommand(text: string | undefined, botUsername: string): string | undefined {
  const match = COMMAND.exec(text ?? "");
  if (match === null) return undefined;
  const addressee = match[2];
  return addressee === undefined || addressee.toLowerCase() === botUsername.toLowerCase() ? match[1] : ANOTHER_BOTS;
}

/** Whether the message starts with a command that names this bot ("/batl@toko_bot"), not just any command. */
export function commandNamesThisBot(text: string | undefined, botUsername: string): boolean {
  return COMMAND.exec(text ?? "")?.[2]?.toLowerCase() === botUsername.toLowerCase();
}
