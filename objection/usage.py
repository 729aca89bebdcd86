"""click's own usage errors as one line that names the value, says what is expected and
where to read more, like the library's InputError:

    no such option --nmae (did you mean --name?); see objection letter --help

click's usage block (three lines and a blank one) is never printed.
"""

import re
from collections.abc import Callable
from difflib import get_close_matches

import click

from objection.errors import InputError


def one_line(error: click.UsageError) -> str:
    """The line for a usage error click raised while reading the command line."""
    return _with_help(_problem(error), error.ctx)


def unknown_command(ctx: click.Context, name: str, commands: list[str]) -> str:
    """`lettr`: the closest command, else the list of them."""
    close = get_close_matches(name, commands, n=1)
    problem = (f"no such command {name!r} (did you mean {close[0]}?)" if close else
               f"no such command {name!r}; expected one of {', '.join(commands)}")
    return _with_help(problem, ctx)


def check_option_values(ctx: click.Context, command: click.Command, args: list[str]) -> None:
    """Refuse an option that takes a value followed by another of the command's options
    (`--name --email x`: click would take '--email' for the name), before click reads it."""
    options = {name: param for param in command.get_params(ctx)
               if isinstance(param, click.Option)
               for name in (*param.opts, *param.secondary_opts)}
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            return
        param = options.get(token)
        if param is None or param.is_flag or param.count or param.nargs != 1:
            continue
        value = next(tokens, None)
        if value in options:
            raise click.BadOptionUsage(
                token, f"option {token} needs a value, not the option {value}", ctx)


def _with_help(problem: str, ctx: click.Context | None) -> str:
    return f"{problem}; see {ctx.command_path} --help" if ctx is not None else problem


def _problem(error: click.UsageError) -> str:
    ctx = error.ctx
    if isinstance(error, click.NoSuchOption):
        close = error.possibilities or []
        suggestion = f" (did you mean {close[0]}?)" if close else ""
        return f"no such option {error.option_name}{suggestion}"
    if isinstance(error, click.BadOptionUsage):
        return _bad_option_usage(error)
    if isinstance(error, click.MissingParameter) and ctx is not None:
        return _missing(error.param, ctx) or _lower(error.format_message())
    if isinstance(error, click.BadParameter):
        return _bad_value(error)
    if isinstance(ctx, click.Context) and isinstance(ctx.command, click.Group) \
            and error.message.startswith("Missing command"):  # `objection --debug`
        return f"missing command; expected one of {', '.join(ctx.command.list_commands(ctx))}"
    extra = re.search(r"unexpected extra arguments? \((.*)\)", error.message)
    if extra and ctx is not None:
        return _unexpected(extra.group(1), ctx)
    return _lower(error.format_message())


def _bad_option_usage(error: click.BadOptionUsage) -> str:
    if error.message.startswith("option "):  # check_option_values's own words
        return error.message
    name = error.option_name
    if "not take a value" in error.message:
        return f"option {name} takes no value; give {name} alone"
    if "requires" in error.message:
        param = _option(error.ctx, name)
        choices = getattr(param.type, "choices", None) if param is not None else None
        return f"option {name} needs a value" + (f", one of {', '.join(choices)}"
                                                   if choices else "")
    return _lower(error.message)


def _missing(param: click.Parameter | None, ctx: click.Context) -> str | None:
    if isinstance(param, click.Argument):
        return f"missing argument {param.human_readable_name}; expected {_usage(ctx)}"
    if isinstance(param, click.Option):
        about = re.split(r" \(|\. ", param.help or "")[0].rstrip(".")
        about = f": {about[:1].lower()}{about[1:]}" if about else ""
        return f"missing option {'/'.join(param.opts)}{about}"
    return None


def _bad_value(error: click.BadParameter) -> str:
    """A value one of click's own types refused (a number, a path, a choice)."""
    param, kind = error.param, error.param.type if error.param is not None else None
    hint = _hint(param) if param is not None else "value"
    message = error.message.rstrip(".")
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        value = re.match(r"(.*?) is not ", message)
        if value:
            whole = isinstance(kind, click.types.IntParamType)
            low, high = getattr(kind, "min", None), getattr(kind, "max", None)
            number = "a whole number" if whole else "a number"
            expected = (f"{number} from {low} to {high}" if low is not None and high is not None
                        else f"{number} of at least {low}" if low is not None
                        else f"{number} of at most {high}" if high is not None else number)
            return str(InputError(hint, value.group(1).strip("'"), "expected " + expected))
    if isinstance(kind, click.Path):
        found = re.match(r"\w+ (.*) (does not exist|is a directory|is a file|is not readable|"
                         r"is not writable|is not executable)$", message)
        if found:
            what = ("file or folder" if kind.file_okay and kind.dir_okay else
                    "folder" if kind.dir_okay else "file")
            problem = {"does not exist": f"no such {what}",
                       "is a directory": "is a folder; expected a file",
                       "is a file": "is a file; expected a folder",
                       "is not readable": "cannot be read (no permission)",
                       "is not writable": "cannot be written (no permission)",
                       "is not executable": "cannot be run (no permission)"}[found.group(2)]
            return str(InputError(hint, found.group(1).strip("'\""), problem))
    if isinstance(kind, click.Choice):
        value = re.match(r"(.*?) is not ", message)
        if value:
            choices = ", ".join(str(choice) for choice in kind.choices)
            return str(InputError(hint, value.group(1).strip("'"), f"expected one of {choices}"))
    return f"{hint}: {_lower(message)}"


def _unexpected(extra: str, ctx: click.Context) -> str:
    """An argument too many: most often a value with spaces that was not quoted."""
    command = ctx.command
    what = f"unexpected argument{'s' if ' ' in extra else ''} {extra!r}"
    if any(isinstance(param, click.Argument) for param in command.params):
        return f"{what}; expected {_usage(ctx)}"
    values = [param for param in command.params
              if isinstance(param, click.Option) and not param.is_flag]
    if not values:
        return f"{what}; {ctx.command_path} takes no arguments"
    quote = "quote a value with spaces"
    if any(param.name == "name" for param in values):
        quote += ': --name "Jane Doe"'
    return f"{what}; {ctx.command_path} takes only options ({quote})"


def _option(ctx: click.Context | None, name: str) -> click.Option | None:
    if ctx is None:
        return None
    for param in ctx.command.get_params(ctx):
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def _hint(param: click.Parameter) -> str:
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return (param.name or "value").lower()


def _usage(ctx: click.Context) -> str:
    return ctx.get_usage().removeprefix("Usage:").strip()


def _lower(message: str) -> str:
    """click's sentence as a clause: `Missing x.` → `missing x`."""
    message = " ".join(message.split()).rstrip(".")
    return message[:1].lower() + message[1:]


class ObjectionCommand(click.Command):
    """A command whose option is not followed by another option for its value."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        check_option_values(ctx, self, args)
        return parse_args_with_context(super().parse_args, ctx, args)


def parse_args_with_context(parse: Callable[[click.Context, list[str]], list[str]],
                            ctx: click.Context, args: list[str]) -> list[str]:
    """click's parser leaves some errors without their context (a missing option value):
    the line names the command (`see objection letter --help`)."""
    try:
        return parse(ctx, args)
    except click.UsageError as error:
        error.ctx = error.ctx or ctx
        raise
