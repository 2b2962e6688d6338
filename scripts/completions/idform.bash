# bash completion for idform (installed as share/bash-completion/completions/idform)
_idform() {
  local cur prev words cword
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="validate plan apply drift import show provider version help"
  local global="--config --target --no-color --verbose -v --quiet -q --help -h --version"
  case $prev in
    --config|--out)
      COMPREPLY=($(compgen -d -- "$cur")); [ "$prev" = --out ] && COMPREPLY+=($(compgen -f -- "$cur")); return ;;
    --audit-log)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --format)
      COMPREPLY=($(compgen -W "text json markdown" -- "$cur")); return ;;
    --accept)
      COMPREPLY=($(compgen -W "max_deletes max_member_removals protected policy_weakening" -- "$cur")); return ;;
    --kinds)
      COMPREPLY=($(compgen -W "groups applications conditional_access_policies named_locations" -- "$cur")); return ;;
    --target)
      local config=. i
      for ((i = 1; i < COMP_CWORD; i++)); do [ "${COMP_WORDS[i]}" = --config ] && config=${COMP_WORDS[i+1]}; done
      if [ -f "$config/idform.yaml" ]; then
        COMPREPLY=($(compgen -W "$(sed -n '/^targets:/,/^[^ #]/s/^  \([A-Za-z0-9_.-]*\):.*/\1/p' "$config/idform.yaml")" -- "$cur"))
      fi
      return ;;
  esac
  local command="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      validate|plan|apply|drift|import|show|version|help) command=${COMP_WORDS[i]}; break ;;
    esac
  done
  if [ -z "$command" ]; then
    COMPREPLY=($(compgen -W "$commands $global" -- "$cur")); return
  fi
  local options
  case $command in
    plan) options="--format --out --detailed-exitcode --show-unmanaged" ;;
    apply) options="--auto-approve --parallelism --accept --audit-log" ;;
    drift) options="--format --show-unmanaged" ;;
    import) options="--out --kinds --match --include-builtin --force" ;;
    show) options="--format --show-unmanaged" ;;
    version) options="--json" ;;
    help) options="validate plan apply drift import show provider version" ;;
  esac
  if [[ $cur == -* || $command == help ]]; then
    COMPREPLY=($(compgen -W "$options $global" -- "$cur"))
  elif [[ $command == show || $command == apply || $command == validate ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _idform idform
