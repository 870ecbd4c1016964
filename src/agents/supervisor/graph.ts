/**
 * The agent graph, compiled once per process with the shared checkpointer (the shared store goes to the nodes that use it). Identity-bound
 * collaborators arrive per run in `config.configurable.turn`; the thread id is `threadIdOf(ctx)`.
 *
 *   START ─▶ supervisor ─▶ genie_agent | memory_agent | help | request_approval ─▶ await_decision ─▶ execute_write
 *   START ─▶ execute_write   (a decision given as input, when the thread has moved past the interrupt)
 */
import { END, START, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph';
import { HELP_TEXT } from '../../commands';
import type { AgentGraphShared, WithStore } from '../deps';
import { createGenieNode } from '../genie/genie-node';
import { createMemoryNode } from '../memory/memory-node';
import { AgentState, type AgentStateUpdate, type AgentStateValue } from '../state';
import { await_decision } from '../task/await-decision-node';
import { createExecuteWriteNode } from '../task/execute-write-node';
import { createRequestApprovalNode } from '../task/request-approval-node';
import { createSupervisorNode, routeIntent } from './supervisor-node';

export interface AgentGraphDeps extends AgentGraphShared, WithStore {
  checkpointer: BaseCheckpointSaver;
}

function help(): AgentStateUpdate {
  return { result: { kind: 'help', text: HELP_TEXT } };
}

function routeStart(state: AgentStateValue): 'execute_write' | 'supervisor' {
  return state.decision ? 'execute_write' : 'supervisor';
}

function afterRequest(state: AgentStateValue): 'await_decision' | typeof END {
  return state.result?.kind === 'approval-requested' && state.awaiting ? 'await_decision' : END;
}

function afterAwait(state: AgentStateValue): 'execute_write' | typeof END {
  return state.decision ? 'execute_write' : END;
}

export function buildAgentGraph(deps: AgentGraphDeps) {
  const graph = new StateGraph(AgentState)
    .addNode('supervisor', createSupervisorNode(deps))
    .addNode('genie_agent', createGenieNode(deps))
    .addNode('memory_agent', createMemoryNode(deps))
    .addNode('help', help)
    .addNode('request_approval', createRequestApprovalNode(deps))
    .addNode('await_decision', await_decision)
    .addNode('execute_write', createExecuteWriteNode(deps))
    .addConditionalEdges(START, routeStart, ['execute_write', 'supervisor'])
    .addConditionalEdges('supervisor', routeIntent, ['genie_agent', 'request_approval', 'memory_agent', 'help'])
    .addConditionalEdges('request_approval', afterRequest, ['await_decision', END])
    .addConditionalEdges('await_decision', afterAwait, ['execute_write', END])
    .addEdge('genie_agent', END)
    .addEdge('memory_agent', END)
    .addEdge('help', END)
    .addEdge('execute_write', END)
    // No `store` here: the memory nodes get it from `deps` (see WithStore), so no run carries the batching store's polling loop.
    .compile({ checkpointer: deps.checkpointer });
  graph.name = 'teams_data_agent';
  return graph;
}

export type AgentGraph = ReturnType<typeof buildAgentGraph>;
