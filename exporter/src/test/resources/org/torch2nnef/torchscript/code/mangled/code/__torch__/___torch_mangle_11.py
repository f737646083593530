class Block(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  conv : __torch__.torch.nn.modules.conv.___torch_mangle_9.Conv1d
  norm : __torch__.torch.nn.modules.normalization.___torch_mangle_10.LayerNorm
  def forward(self: __torch__.___torch_mangle_11.Block,
    argument_1: Tensor) -> Tensor:
    norm = self.norm
    conv = self.conv
    input = torch.transpose((conv).forward(argument_1, ), 1, 2)
    _0 = torch.transpose((norm).forward(input, ), 1, 2)
    return torch.add(_0, argument_1)
